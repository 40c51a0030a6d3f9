package inputs

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSageMakerDataCapture(t *testing.T) {
	type want struct {
		at        time.Duration
		maxTokens int
		isl       int
		messages  string
		tools     bool
	}
	wants := []want{
		{0, 7, 6, `[{"role":"system","content":"You call tools."},{"role":"user","content":[{"type":"text","text":"Weather in Paris?"}]}]`, true},
		{500 * time.Millisecond, 50, 1, `[{"role":"user","content":"Hello"}]`, false},
		{1500 * time.Millisecond, 0, 1, `[{"role":"user","content":"Later"}]`, false},
	}
	for _, kind := range []string{TypeSageMaker, ""} { // explicit and inferred
		d := loadArgs(t, "testdata/sagemaker", kind)
		if !d.FixedSchedule || len(d.Conversations) != len(wants) {
			t.Fatalf("%q: fixed %v, %d conversations", kind, d.FixedSchedule, len(d.Conversations))
		}
		for i, w := range wants {
			tr := d.Conversations[i].Turns[0]
			var body struct {
				Messages json.RawMessage `json:"messages"`
				Tools    json.RawMessage `json:"tools"`
				Model    string          `json:"model"`
			}
			if err := json.Unmarshal(tr.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			var compact strings.Builder
			json.NewEncoder(&compact).Encode(json.RawMessage(body.Messages))
			if !tr.HasTimestamp || tr.Timestamp != w.at || tr.MaxTokens != w.maxTokens || tr.InputTokens != w.isl ||
				strings.TrimSpace(compact.String()) != w.messages || (body.Tools != nil) != w.tools || body.Model != "x" {
				t.Fatalf("record %d: %s at %v max %d ISL %d, want %+v", i, tr.Body.Bytes(), tr.Timestamp, tr.MaxTokens, tr.InputTokens, w)
			}
		}
	}
	// One file alone is read too.
	if d := loadArgs(t, "testdata/sagemaker/2026/04/29/00/capture.jsonl", ""); len(d.Conversations) != 2 {
		t.Fatalf("one capture file: %d records", len(d.Conversations))
	}
}

func TestSageMakerDataCaptureErrors(t *testing.T) {
	const meta = `"eventMetadata": {"inferenceTime": "2026-04-29T00:03:18Z"}`
	cases := []struct{ body, want string }{
		{`{"captureData": {"endpointInput": {"data": "{}", "encoding": "JSON"}}, ` + meta + `}`, `c.jsonl:1: the captured request has no "messages" list`},
		{`{"captureData": {}, ` + meta + `}`, "c.jsonl:1: captureData.endpointInput.data is required"},
		{`{"captureData": {"endpointInput": {"data": "{}"}}, "eventMetadata": {}}`, "c.jsonl:1: eventMetadata.inferenceTime is required"},
		{`{"captureData": {"endpointInput": {"data": "{}"}}, "eventMetadata": {"inferenceTime": "yesterday"}}`, `c.jsonl:1: eventMetadata.inferenceTime "yesterday" is not an ISO 8601 time`},
		{`{"captureData": {"endpointInput": {"data": "a,b", "encoding": "CSV"}}, ` + meta + `}`, `c.jsonl:1: captureData.endpointInput: encoding "CSV" is not JSON or BASE64`},
		{`{"captureData": {"endpointInput": {"data": "!!"}}, ` + meta + `}`, "c.jsonl:1: captureData.endpointInput: illegal base64"},
	}
	for _, c := range cases {
		p := filepath.Join(t.TempDir(), "c.jsonl")
		if err := os.WriteFile(p, []byte(c.body+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		wantBuildError(t, c.want, "-m", "x", "--input-file", p, "--custom-dataset-type", TypeSageMaker)
	}
	for _, ep := range []string{"completions", "image_edit", "video_generation", "audio_transcription"} {
		wantBuildError(t, "--endpoint-type (AIPERF_ENDPOINT_TYPE): sagemaker_data_capture replays chat requests, not "+ep, "-m", "x", "--input-file", "testdata/sagemaker", "--endpoint-type", ep)
	}
}
