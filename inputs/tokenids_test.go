package inputs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// vllm_generate bodies are AIPerf's VllmGenerateEndpoint payload: model,
// token_ids and sampling_params from the line's extra (max_tokens from the
// output length unless given), "stream": false, --extra-inputs, then the
// line's other extra fields; the prompt's token ids are its input tokens.
func TestTokenIDsBody(t *testing.T) {
	d := loadArgs(t, "testdata/token_ids.jsonl", "single_turn", "--endpoint-type", "vllm_generate", "--extra-inputs", "ignore_eos:true")
	want := []struct {
		body  string
		input int
	}{
		{`{"model":"x","token_ids":[1,2,3,4,5],"sampling_params":{"max_tokens":6},"stream":false,"ignore_eos":true,"priority":2}`, 5},
		{`{"model":"x","token_ids":[7,8],"sampling_params":{"temperature":0,"max_tokens":3},"stream":false,"ignore_eos":true}`, 2},
	}
	for i, w := range want {
		tr := d.Conversations[i].Turns[0]
		if got := string(tr.Body.Bytes()); got != w.body || tr.InputTokens != w.input {
			t.Errorf("line %d: body %s, %d input tokens; want %s, %d", i+1, got, tr.InputTokens, w.body, w.input)
		}
	}
}

// Without a line's token ids, with ids that are not integers, or asked to
// stream, vllm_generate refuses before the run in one line, as AIPerf raises.
func TestTokenIDsRefusals(t *testing.T) {
	dir := t.TempDir()
	file := func(line string) string {
		p := filepath.Join(dir, strings.NewReplacer(" ", "", "\"", "", ":", "", "{", "", "}", "", "[", "", "]", "", ",", "").Replace(line)+".jsonl")
		if err := os.WriteFile(p, []byte(line+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	wantRefusals(t, []string{"-m", "x", "--endpoint-type", "vllm_generate"}, []refusal{
		{[]string{"--isl", "4"}, "vllm_generate needs the line's extra.token_ids"},
		{[]string{"--input-file", file(`{"text": "hi"}`)}, "vllm_generate needs the line's extra.token_ids"},
		{[]string{"--input-file", file(`{"extra": {"token_ids": [1, "2"]}}`)}, "a non-empty list of integers"},
		{[]string{"--input-file", file(`{"extra": {"token_ids": [1], "stream": true}}`)}, "stream must stay false"},
		{[]string{"--input-file", file(`{"extra": {"token_ids": [1], "sampling_params": 3}}`)}, "sampling_params must be a JSON object"},
	})
}

// sglang_generate bodies are AIPerf's SGLangGenerateEndpoint payload:
// --extra-inputs, the line's extra fields, then input_ids (the line's
// token_ids), sampling_params (ignore_eos, --extra-inputs', max_new_tokens,
// the line's), "stream": true and priority (nvext's strict priority wins).
func TestInputIDsBody(t *testing.T) {
	file := filepath.Join(t.TempDir(), "ids.jsonl")
	lines := `{"token_ids": [1, 2, 3], "output_length": 6, "extra": {"lora_path": "a", "sampling_params": {"temperature": 0}, "priority": 1}}` + "\n" +
		`{"token_ids": [4], "extra": {"nvext": {"agent_hints": {"strict_priority": 9}}, "priority": 2}}` + "\n"
	if err := os.WriteFile(file, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	d := loadArgs(t, file, "single_turn", "--endpoint-type", "sglang_generate", "--streaming",
		"--extra-inputs", `sampling_params:{"top_k": 5}`, "--extra-inputs", "return_logprob:false")
	want := []struct {
		body  string
		input int
	}{
		{`{"return_logprob":false,"lora_path":"a","input_ids":[1,2,3],"sampling_params":{"ignore_eos":true,"top_k":5,"max_new_tokens":6,"temperature":0},"stream":true,"priority":1}`, 3},
		{`{"return_logprob":false,"input_ids":[4],"sampling_params":{"ignore_eos":true,"top_k":5},"stream":true,"priority":9}`, 1},
	}
	for i, w := range want {
		tr := d.Conversations[i].Turns[0]
		if got := string(tr.Body.Bytes()); got != w.body || tr.InputTokens != w.input {
			t.Errorf("line %d: body %s, %d input tokens; want %s, %d", i+1, got, tr.InputTokens, w.body, w.input)
		}
	}
	wantRefusals(t, []string{"-m", "x", "--endpoint-type", "sglang_generate"}, []refusal{
		{[]string{"--input-file", file}, "sglang_generate requires streaming: add --streaming"},
		{[]string{"--streaming", "--isl", "4"}, "sglang_generate needs each input line's token_ids"},
	})
}
