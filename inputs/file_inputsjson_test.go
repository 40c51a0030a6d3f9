package inputs

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

func TestInputsJSONReplay(t *testing.T) {
	raw := testkit.ReadFile(t, "testdata/inputs_json/inputs.json")
	var file struct {
		Data []struct {
			Payloads []json.RawMessage `json:"payloads"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	type want struct {
		model          string
		isl, maxTokens int
	}
	wants := [][]want{{{"x", 3, 12}}, {{"other", 2, 3}, {"other", 4, 0}}}
	for _, kind := range []string{TypeInputsJSON, ""} { // explicit and inferred
		d := loadArgs(t, "testdata/inputs_json/inputs.json", kind, "--streaming")
		if d.FixedSchedule || len(d.Conversations) != 2 || d.Conversations[0].ID != "conv-a" || d.Conversations[1].ID != "conv-b" {
			t.Fatalf("%q: %d conversations, fixed %v", kind, len(d.Conversations), d.FixedSchedule)
		}
		for i, c := range d.Conversations {
			if len(c.Turns) != len(wants[i]) {
				t.Fatalf("%s: %d turns", c.ID, len(c.Turns))
			}
			for k, tr := range c.Turns {
				var sent bytes.Buffer
				json.Compact(&sent, file.Data[i].Payloads[k])
				w := wants[i][k]
				if !bytes.Equal(tr.Body.Bytes(), sent.Bytes()) || tr.Model != w.model || tr.InputTokens != w.isl || tr.MaxTokens != w.maxTokens || tr.Delay != 0 {
					t.Fatalf("%s turn %d: body %s model %q ISL %d max %d, want the payload as it is, %+v", c.ID, k, tr.Body.Bytes(), tr.Model, tr.InputTokens, tr.MaxTokens, w)
				}
			}
		}
	}
}

func TestInputsJSONErrors(t *testing.T) {
	cases := []struct{ body, flag, want string }{
		{`{"data": [{"session_id": "s", "payloads": [{"stream": true}]}]}`, "", `--streaming (AIPERF_STREAMING): the payload has "stream": true`},
		{`{"data": [{"session_id": "s", "payloads": [[1]]}]}`, "", "in.json: session s payload 1: not a JSON object"},
		{`{"data": [{"session_id": "s", "payloads": []}]}`, "", "in.json: session 1: want a session_id and at least one payload"},
		{`{"data": []}`, "", "in.json: no sessions"},
		{`{"data": [{"session_id": "s", "payloads": [{}]}]}`, "audio_transcription", "--endpoint-type (AIPERF_ENDPOINT_TYPE): audio_transcription sends multipart forms"},
	}
	for _, c := range cases {
		p := filepath.Join(t.TempDir(), "in.json")
		if err := os.WriteFile(p, []byte(c.body), 0o644); err != nil {
			t.Fatal(err)
		}
		args := []string{"-m", "x", "--input-file", p, "--custom-dataset-type", TypeInputsJSON}
		if c.flag != "" {
			args = append(args, "--endpoint-type", c.flag)
		}
		wantBuildError(t, c.want, args...)
	}
}
