package main

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// The image and video generation endpoint types, end to end against the real
// mock over loopback: the console carries AIPerf's title, the JSON export the
// rows of an endpoint without tokens, inputs.json AIPerf's payload keys, and
// the mock received what was asked.
func TestProfileMediaGenerationTypes(t *testing.T) {
	cases := []struct {
		name, title string
		args        []string
		keys        string // the first payload's keys in inputs.json
		streamed    bool
		rows        []string                         // more rows the JSON export must have
		ffmpeg      bool                             // the mock needs ffmpeg (video content)
		mock        func(tr mockserver.Truth) string // what is wrong with what the mock saw, or ""
	}{
		{"image_generation whole", "NVIDIA AIPerf | Image Generation Metrics",
			[]string{"--endpoint-type", "image_generation", "--extra-inputs", "size:512x512"},
			"prompt,model,response_format,n,size", false, nil, false,
			func(tr mockserver.Truth) string {
				return wantTruth(tr.Model == "m" && !tr.Stream && tr.Inputs == 1 && len(tr.ChunkNs) == 1, tr)
			}},
		{"image_generation streamed", "NVIDIA AIPerf | Image Generation Metrics",
			[]string{"--endpoint-type", "image_generation", "--streaming", "--extra-inputs", "partial_images:2"},
			"prompt,model,response_format,n,stream,partial_images", true, nil, false,
			func(tr mockserver.Truth) string {
				return wantTruth(tr.Stream && len(tr.ChunkNs) == 3, tr) // two partial images, then the completed one
			}},
		{"image_edit", "NVIDIA AIPerf | Image Edit Metrics",
			[]string{"--endpoint-type", "image_edit", "--image-batch-size", "1", "--image-width-mean", "32", "--image-height-mean", "24", "--image-format", "png"},
			"prompt,model,response_format,n,image", false, []string{"image_throughput", "image_latency"}, false,
			func(tr mockserver.Truth) string {
				return wantTruth(tr.Model == "m" && strings.Join(tr.Images, ",") == "png 32x24" && tr.Inputs == 1, tr)
			}},
		{"video_generation", "NVIDIA AIPerf | Video Generation Metrics",
			[]string{"--endpoint-type", "video_generation", "--extra-inputs", "seconds:4"},
			"prompt,model,seconds", false, nil, false,
			func(tr mockserver.Truth) string {
				return wantTruth(tr.Model == "m" && tr.Polls >= 1 && tr.Downloads == 0, tr)
			}},
		{"video_generation downloaded", "NVIDIA AIPerf | Video Generation Metrics",
			[]string{"--endpoint-type", "video_generation", "--download-video-content"},
			"prompt,model", false, nil, true,
			func(tr mockserver.Truth) string {
				return wantTruth(tr.Polls >= 1 && tr.Downloads == 1, tr)
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := exec.LookPath("ffmpeg"); err != nil && c.ffmpeg {
				t.Skip("no ffmpeg on PATH: the mock has no video to serve")
			}
			m, out, dir := profileMock(t, append([]string{"--model", "m", "--isl", "8", "--request-count", "3", "--concurrency", "2"}, c.args...)...)
			if !strings.Contains(out, c.title) {
				t.Errorf("no %q in the console:\n%s", c.title, out)
			}
			js := readJSON(t, filepath.Join(dir, report.JSONFile))
			for tag, want := range map[string]bool{"request_latency": true, "time_to_first_token": c.streamed,
				"input_sequence_length": false, "output_sequence_length": false, "output_token_throughput": false} {
				if _, ok := js[tag]; ok != want {
					t.Errorf("%s in the JSON export: %v, want %v", tag, ok, want)
				}
			}
			for _, tag := range c.rows {
				if _, ok := js[tag]; !ok {
					t.Errorf("no %s in the JSON export", tag)
				}
			}
			if got := firstPayloadKeys(t, dir); got != c.keys {
				t.Errorf("inputs.json payload keys %s, want %s", got, c.keys)
			}
			_, truths := truthsOf(t, m, dir, 3)
			for _, tr := range truths {
				if msg := c.mock(tr); msg != "" {
					t.Fatal(msg)
				}
			}
		})
	}
}

// wantTruth is "" when ok, else what the mock saw.
func wantTruth(ok bool, tr mockserver.Truth) string {
	if ok {
		return ""
	}
	b, _ := json.Marshal(tr)
	return "the mock saw " + string(b)
}

// firstPayload is inputs.json's first payload.
func firstPayload(t *testing.T, dir string) json.RawMessage {
	t.Helper()
	inputs := testkit.ReadJSON[struct {
		Data []struct {
			Payloads []json.RawMessage `json:"payloads"`
		} `json:"data"`
	}](t, filepath.Join(dir, report.InputsFile))
	if len(inputs.Data) == 0 || len(inputs.Data[0].Payloads) == 0 {
		t.Fatal("inputs.json has no payload")
	}
	return inputs.Data[0].Payloads[0]
}

// firstPayloadKeys lists the keys of inputs.json's first payload, in order.
func firstPayloadKeys(t *testing.T, dir string) string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(firstPayload(t, dir)))
	var keys []string
	if _, err := dec.Token(); err != nil { // {
		t.Fatal(err)
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		key, ok := k.(string)
		if !ok {
			t.Fatalf("inputs.json's first payload: %v where a key belongs", k)
		}
		keys = append(keys, key)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return strings.Join(keys, ",")
}
