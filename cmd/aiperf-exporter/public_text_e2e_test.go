package main

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/hubtest"
	"github.com/aiperf-exporter/aiperf-exporter/publicdata"
)

// fakeHub serves files as the Hugging Face Hub (HF_ENDPOINT) with an empty
// cache, online, without a token.
func fakeHub(t *testing.T, files map[string][]byte) {
	t.Helper()
	t.Setenv("HF_ENDPOINT", hubtest.New(t, files))
	t.Setenv("HF_HOME", t.TempDir())
	t.Setenv("HF_HUB_CACHE", "")
	t.Setenv("HF_TOKEN", "")
	t.Setenv("HF_HUB_OFFLINE", "")
}

// TestProfileTextPublicDatasets runs `profile --mock --public-dataset NAME`
// for one dataset of each AIPerf loader family, against a fake Hub holding a
// tiny dataset in the real one's schema, and checks inputs.json against the
// bodies AIPerf builds: ShareGPT's turns ask for their completion's length,
// instruction prompts ask for none (no --osl), images go as JPEG data URLs.
func TestProfileTextPublicDatasets(t *testing.T) {
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, image.NewRGBA(image.Rect(0, 0, 4, 3))); err != nil {
		t.Fatal(err)
	}
	mm := hubtest.MMStarRow{Question: "Which shape is shown?"}
	mm.Image.Bytes = pngBuf.Bytes()
	var mmvu hubtest.MMVURow
	mmvu.Question, mmvu.Choices.A, mmvu.Choices.B = "What falls?", "Rain", "Snow"
	mmvu.Video = "https://huggingface.co/datasets/yale-nlp/MMVU/resolve/main/videos/Art/0.mp4"
	// Spec-Bench comes from GitHub into AIPerf's cache under the working directory.
	t.Chdir(t.TempDir())
	spec := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"question_id": 81, "category": "writing", "turns": ["Compose a haiku.", "Again."]}` + "\n"))
	}))
	defer spec.Close()
	old := publicdata.SpecBenchURL
	publicdata.SpecBenchURL = spec.URL
	defer func() { publicdata.SpecBenchURL = old }()
	fakeHub(t, map[string][]byte{
		"datasets/yale-nlp/MMVU/default/validation/0000.parquet": hubtest.Parquet(t, mmvu),
		"datasets/lmms-lab/LLaVA-OneVision-Data/sharegpt4o/train/0000.parquet": hubtest.Parquet(t, hubtest.LLaVARow{
			Image:         hubtest.ImageCell{Bytes: pngBuf.Bytes()},
			Conversations: []hubtest.LLaVAMessage{{From: "human", Value: "<image>\nWhat is shown?"}, {From: "gpt", Value: "Nothing."}}}),
		"datasets/HuggingFaceH4/mt_bench_prompts/default/train/0000.parquet": hubtest.Parquet(t,
			hubtest.MTBenchRow{Category: "writing", Prompt: []string{"Write a poem.", "Make it shorter."}}),
		"datasets/anon8231489123/ShareGPT_Vicuna_unfiltered/ShareGPT_V3_unfiltered_cleaned_split.json": []byte(`[
			{"id": "x", "conversations": [
				{"from": "human", "value": "Tell me a story about a brave little toaster"},
				{"from": "gpt", "value": "Once upon a time a toaster went on a trip"},
				{"from": "human", "value": "Make it shorter please and thank you"},
				{"from": "gpt", "value": "A toaster travelled far and came home happy"}]}]`),
		"datasets/AI-MO/NuminaMath-TIR/default/train/0000.parquet": hubtest.Parquet(t, hubtest.NuminaRow{Problem: "What is 1+1?"}),
		"datasets/Lin-Chen/MMStar/default/val/0000.parquet":        hubtest.Parquet(t, mm),
	})
	for _, tc := range []struct {
		name string
		want func(t *testing.T, convs [][]map[string]any)
	}{
		{"sharegpt", func(t *testing.T, convs [][]map[string]any) {
			if len(convs) != 1 || len(convs[0]) != 2 {
				t.Fatalf("want one conversation of two turns, got %d", len(convs))
			}
			// Each turn asks for its completion's length (words here: no
			// tokenizer for model m); the second resends the first prompt.
			for i, p := range convs[0] {
				msgs, _ := p["messages"].([]any)
				if len(msgs) != i+1 || p["max_completion_tokens"] != []any{10.0, 8.0}[i] {
					t.Errorf("turn %d: %d messages, max_completion_tokens %v", i+1, len(msgs), p["max_completion_tokens"])
				}
			}
		}},
		{"aimo", func(t *testing.T, convs [][]map[string]any) {
			if len(convs) != 1 || len(convs[0]) != 1 {
				t.Fatalf("want one single-turn conversation, got %v", convs)
			}
			p := convs[0][0]
			b, _ := json.Marshal(p["messages"])
			if string(b) != `[{"content":"What is 1+1?","role":"user"}]` || p["max_completion_tokens"] != nil {
				t.Errorf("payload %v", p)
			}
		}},
		{"mmvu", func(t *testing.T, convs [][]map[string]any) {
			b, _ := json.Marshal(convs)
			if !strings.Contains(string(b), `"text":"What falls? A.Rain B.Snow"`) || !strings.Contains(string(b), `"video_url":{"url":"`+mmvu.Video+`"}`) {
				t.Errorf("payload without the question, its choices and the video URL: %.600s", b)
			}
		}},
		{"spec_bench", func(t *testing.T, convs [][]map[string]any) {
			b, _ := json.Marshal(convs)
			if string(b) != `[[{"messages":[{"content":"Compose a haiku.","role":"user"}],"model":"m","stream":false}]]` {
				t.Errorf("payloads %s", b)
			}
		}},
		{"spec_al_mtbench", func(t *testing.T, convs [][]map[string]any) {
			if len(convs) != 1 || len(convs[0]) != 2 {
				t.Fatalf("want one conversation of two turns: %v", convs)
			}
			b, _ := json.Marshal(convs[0][1]["messages"])
			if string(b) != `[{"content":"Write a poem.","role":"user"},{"content":"Make it shorter.","role":"user"}]` {
				t.Errorf("second turn's messages %s", b)
			}
		}},
		{"llava_onevision", func(t *testing.T, convs [][]map[string]any) {
			b, _ := json.Marshal(convs)
			if len(convs) != 1 || !strings.Contains(string(b), `{"text":"What is shown?","type":"text"},{"image_url":{"url":"data:image/jpeg;base64,`) {
				t.Errorf("payload without the first human message and its JPEG image: %.400s", b)
			}
		}},
		{"mmstar", func(t *testing.T, convs [][]map[string]any) {
			b, _ := json.Marshal(convs)
			if !strings.Contains(string(b), `"type":"image_url"`) || !strings.Contains(string(b), "data:image/jpeg;base64,") ||
				!strings.Contains(string(b), `"text":"Which shape is shown?"`) {
				t.Errorf("payload without the question and a JPEG image: %.400s", b)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, dir := profileOK(t, "--mock", "--model", "m", "--public-dataset", tc.name, "--request-count", "2")
			tc.want(t, inputsPayloads(t, dir))
		})
	}
	// No resolved SPEED-Bench config in .cache/aiperf/datasets/speed-bench.
	for name, want := range map[string]string{
		"speed_bench_throughput_1k": "SPEED-Bench config throughput_1k is not resolved",
		"nosuch":                    "want one of",
	} {
		code, _, stderr, _ := profileInDir(t, "--mock", "--model", "m", "--public-dataset", name)
		if code != 2 || !strings.Contains(stderr, want) || !strings.Contains(stderr, "public-dataset") {
			t.Errorf("%s: exit %d, want 2 saying %q:\n%s", name, code, want, stderr)
		}
	}
}

// TestProfileSpeedBenchFromResolvedConfig runs `--public-dataset
// speed_bench_coding` over a resolved qualitative config where AIPerf caches
// it: the coding rows only, each message a turn, question_id the session id.
func TestProfileSpeedBenchFromResolvedConfig(t *testing.T) {
	t.Chdir(t.TempDir())
	dir := ".cache/aiperf/datasets/speed-bench"
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	rows := `{"question_id":"0123456789abcdef0123456789abcdef","category":"coding","messages":[{"role":"user","content":"Write a sort."},{"role":"user","content":"Now in Go."}]}
{"question_id":"fedcba9876543210fedcba9876543210","category":"math","messages":[{"role":"user","content":"What is 2+2?"}]}
`
	if err := os.WriteFile(dir+"/qualitative.jsonl", []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out := profileOK(t, "--mock", "--model", "m", "--public-dataset", "speed_bench_coding", "--request-count", "2")
	in := readJSON(t, out+"/inputs.json")
	b, _ := json.Marshal(in["data"])
	if !strings.Contains(string(b), `"session_id":"0123456789abcdef0123456789abcdef"`) || strings.Contains(string(b), "2+2") {
		t.Errorf("inputs.json data: %.600s", b)
	}
	if convs := inputsPayloads(t, out); len(convs) != 1 || len(convs[0]) != 2 {
		t.Errorf("want one conversation of two turns: %v", convs)
	}
}
