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
		{"negative max", lengthRequest{MaxCompletionTokens: ptr(-1)}, 0, 0, 0, 0, "", "max_tokens must be at least 1"},
	}
	for _, tt := range tests {
		n, finish, err := outputLength(tt.req, tt.cfg, tt.words, func() float64 { return tt.u })
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
