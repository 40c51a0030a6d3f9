package mockserver

import "testing"

func TestOutputLengthRule(t *testing.T) {
	ptr := func(v int) *int { return &v }
	tests := []struct {
		name       string
		req        lengthRequest
		cfg, words int
		u          float64
		wantN      int
		wantFinish string
		wantErr    string
	}{
		{"rule low", lengthRequest{}, 0, 100, 0, 80, "stop", ""},
		{"rule high", lengthRequest{}, 0, 100, 0.999999, 120, "stop", ""},
		{"rule floor", lengthRequest{}, 0, 3, 0.5, 16, "stop", ""},
		{"config", lengthRequest{}, 7, 100, 0.5, 7, "stop", ""},
		{"min raises", lengthRequest{MinTokens: ptr(30)}, 7, 0, 0, 30, "stop", ""},
		{"max", lengthRequest{MaxTokens: ptr(3)}, 7, 0, 0, 3, "length", ""},
		{"min within max", lengthRequest{MaxTokens: ptr(9), MinTokens: ptr(4)}, 0, 0, 0, 9, "length", ""},
		{"negative min", lengthRequest{MinTokens: ptr(-1)}, 0, 0, 0, 0, "", "min_tokens must be non-negative"},
		{"negative max", lengthRequest{MaxCompletionTokens: ptr(-1)}, 0, 0, 0, 0, "", "max_completion_tokens must be at least 1"},
		{"zero max_tokens", lengthRequest{MaxTokens: ptr(0)}, 0, 0, 0, 0, "", "max_tokens must be at least 1"},
		{"zero named limit", limitedBy("max_new_tokens", ptr(0)), 0, 0, 0, 0, "", "max_new_tokens must be at least 1"},
		{"min over max", lengthRequest{MaxTokens: ptr(2), MinTokens: ptr(5)}, 0, 0, 0, 0, "", "min_tokens must be less than or equal to max_tokens"},
		{"min over a named limit", lengthRequest{MaxTokens: ptr(2), MinTokens: ptr(5), field: "max_output_tokens"}, 0, 0, 0, 0, "",
			"min_tokens must be less than or equal to max_output_tokens"},
		// The mock's longest answer is 200 tokens here: beyond it a limit is
		// refused and an answer without one stops there.
		{"max at the longest", lengthRequest{MaxTokens: ptr(200)}, 0, 0, 0, 200, "length", ""},
		{"config at the longest", lengthRequest{}, 200, 0, 0, 200, "stop", ""},
		{"rule cut at the longest", lengthRequest{}, 0, 1000, 0.5, 200, "length", ""},
		{"min cut nowhere", lengthRequest{MinTokens: ptr(200)}, 7, 0, 0, 200, "stop", ""},
		{"max above the longest", lengthRequest{MaxTokens: ptr(201)}, 0, 0, 0, 0, "",
			"max_tokens is too large: 201. This model's maximum output length is 200 tokens"},
		{"huge max_completion_tokens", lengthRequest{MaxCompletionTokens: ptr(2147483648)}, 0, 0, 0, 0, "",
			"max_completion_tokens is too large: 2147483648. This model's maximum output length is 200 tokens"},
		{"named limit", limitedBy("max_new_tokens", ptr(201)), 0, 0, 0, 0, "",
			"max_new_tokens is too large: 201. This model's maximum output length is 200 tokens"},
		{"min above the longest", lengthRequest{MinTokens: ptr(201)}, 0, 0, 0, 0, "",
			"min_tokens is too large: 201. This model's maximum output length is 200 tokens"},
	}
	for _, tt := range tests {
		cfg := Config{OutputTokens: tt.cfg, MaxOutputTokens: 200}
		n, finish, err := outputLength(tt.req, cfg, tt.words, func() float64 { return tt.u })
		if n != tt.wantN || finish != tt.wantFinish || errText(err) != tt.wantErr {
			t.Errorf("%s: got %d %q %q, want %d %q %q", tt.name, n, finish, errText(err), tt.wantN, tt.wantFinish, tt.wantErr)
		}
	}
}

func TestMakeTokensCycles(t *testing.T) {
	got := makeTokens([]string{"a", "b"}, 5)
	if joinTokens(got) != "a b a b a" {
		t.Errorf("makeTokens = %v", got)
	}
	if got := makeTokens(nil, 2); joinTokens(got) != "the quick" {
		t.Errorf("makeTokens(nil) = %v", got)
	}
}

// errText is err's message, "" for nil.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
