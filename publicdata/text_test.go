package publicdata

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/hub"
	"github.com/aiperf-exporter/aiperf-exporter/internal/hubtest"
)

func words(s string) int { return len(strings.Fields(s)) }

// shareGPTFile is ShareGPT_V3_unfiltered_cleaned_split.json's shape: an
// array of {id, conversations: [{from, value}]}.
const shareGPTFile = `[
 {"id": "a", "conversations": [
   {"from": "human", "value": "one two three four five"},
   {"from": "gpt", "value": "six seven eight nine"},
   {"from": "human", "value": "ten eleven twelve thirteen"},
   {"from": "gpt", "value": "fourteen fifteen sixteen seventeen eighteen"}]},
 {"id": "short", "conversations": [
   {"from": "human", "value": "hi"}, {"from": "gpt", "value": "hello there how are you"}]},
 {"id": "lonely", "conversations": [{"from": "human", "value": "only a prompt with no answer"}]},
 {"id": "system first", "conversations": [
   {"from": "system", "value": "ignored"},
   {"from": "human", "value": "what is the time now please"},
   {"from": "gpt", "value": "it is nine in the morning"}]},
 {"id": "no roles", "conversations": [
   {"value": "a prompt of five words"}, {"value": "an answer of five words"}]},
 {"id": "short answer", "conversations": [
   {"from": "human", "value": "a prompt long enough here"}, {"from": "gpt", "value": "ok"}]}
]`

func TestShareGPTFromFakeHub(t *testing.T) {
	endpoint := hubtest.New(t, map[string][]byte{
		"datasets/anon8231489123/ShareGPT_Vicuna_unfiltered/ShareGPT_V3_unfiltered_cleaned_split.json": []byte(shareGPTFile),
	})
	c := &hub.Client{Endpoint: endpoint, CacheDir: t.TempDir()}
	got, err := LoadText(context.Background(), c, "sharegpt", TextOptions{Count: words})
	if err != nil {
		t.Fatal(err)
	}
	var turns []string
	for _, e := range got {
		var ts []string
		for _, p := range e.Turns {
			ts = append(ts, p.Text+"="+string(rune('0'+p.MaxTokens)))
		}
		turns = append(turns, strings.Join(ts, "|"))
	}
	want := []string{
		"one two three four five=4|ten eleven twelve thirteen=5",
		"what is the time now please=6",
		"a prompt of five words=5",
	}
	if strings.Join(turns, "\n") != strings.Join(want, "\n") {
		t.Errorf("conversations:\n%s\nwant:\n%s", strings.Join(turns, "\n"), strings.Join(want, "\n"))
	}
	// An output length set by the run lifts the completion's minimum.
	got, err = LoadText(context.Background(), c, "sharegpt", TextOptions{Count: words, SkipMinOutput: true})
	if err != nil || len(got) != 4 || got[3].Turns[0].MaxTokens != 1 {
		t.Errorf("with --osl: %d conversations, %v", len(got), err)
	}
	if got, err := LoadText(context.Background(), c, "sharegpt", TextOptions{Count: words, Max: 1}); err != nil || len(got) != 1 {
		t.Errorf("max 1: %d conversations, %v", len(got), err)
	}
}

func TestValidSequence(t *testing.T) {
	for _, tc := range []struct {
		in, out int
		skip    bool
		want    bool
	}{
		{4, 4, false, true},
		{3, 100, false, false},
		{4, 3, false, false},
		{4, 3, true, true},
		{1024, 1024, false, true},
		{1025, 10, false, false},
		{1000, 1049, false, false},
	} {
		if got := validSequence(tc.in, tc.out, tc.skip); got != tc.want {
			t.Errorf("validSequence(%d, %d, %v) = %v", tc.in, tc.out, tc.skip, got)
		}
	}
}

// TestInstructionAndConversationRows serves one dataset of each parquet
// family from a fake Hub, in the columns the real ones have.
func TestInstructionAndConversationRows(t *testing.T) {
	png := []byte("\x89PNG fake image bytes")
	mm := hubtest.MMStarRow{Index: 1, Question: "What colour is the sky?", Answer: "A"}
	mm.Image.Bytes = png
	llava := []hubtest.LLaVARow{
		{ID: "1", Conversations: []hubtest.LLaVAMessage{{From: "human", Value: "<image>\nDescribe the picture."}, {From: "gpt", Value: "A cat."}}},
		{ID: "2", Conversations: []hubtest.LLaVAMessage{{From: "gpt", Value: "I speak first"}, {From: "human", Value: "<image>"}}},
	}
	llava[0].Image.Bytes = png
	endpoint := hubtest.New(t, map[string][]byte{
		"datasets/AI-MO/NuminaMath-TIR/default/train/0000.parquet": hubtest.Parquet(t,
			hubtest.NuminaRow{Problem: "What is 1+1?"}, hubtest.NuminaRow{Problem: "  "}, hubtest.NuminaRow{Problem: "What is 2+2?"}),
		"datasets/AI-MO/NuminaMath-CoT/default/partial-train/0000.parquet": hubtest.Parquet(t, hubtest.NuminaRow{Problem: "A large split's first rows"}),
		"datasets/vdaita/edit_5k_char/default/train/0000.parquet": hubtest.Parquet(t,
			hubtest.BlazeditRow{Code: "print(1)", ChangeRequest: "print 2"}),
		"datasets/Lin-Chen/MMStar/default/val/0000.parquet":                    hubtest.Parquet(t, mm),
		"datasets/lmms-lab/LLaVA-OneVision-Data/sharegpt4o/train/0000.parquet": hubtest.Parquet(t, llava...),
		"datasets/likaixin/InstructCoder/default/train/0000.parquet":           hubtest.Damaged(t, hubtest.Parquet(t, hubtest.NuminaRow{Problem: "x"})),
	})
	c := &hub.Client{Endpoint: endpoint, CacheDir: t.TempDir()}
	load := func(name string) []Entry {
		t.Helper()
		got, err := LoadText(context.Background(), c, name, TextOptions{Count: words})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return got
	}
	if got := load("aimo"); len(got) != 2 || got[0].Turns[0].Text != "What is 1+1?" || got[1].Turns[0].Text != "What is 2+2?" || got[0].Turns[0].MaxTokens != 0 {
		t.Errorf("aimo: %+v", got)
	}
	if got := load("aimo_numina_cot"); len(got) != 1 || got[0].Turns[0].Text != "A large split's first rows" {
		t.Errorf("aimo_numina_cot from partial-train: %+v", got)
	}
	wantBlaze := strings.NewReplacer("{code}", "print(1)", "{change_request}", "print 2").Replace(blazeditTemplate)
	if got := load("blazedit_5k"); len(got) != 1 || got[0].Turns[0].Text != wantBlaze {
		t.Errorf("blazedit_5k: %q", got[0].Turns[0].Text)
	}
	if got := load("mmstar"); len(got) != 1 || got[0].Turns[0].Text != mm.Question || string(got[0].Turns[0].Image) != string(png) {
		t.Errorf("mmstar: %+v", got)
	}
	got := load("llava_onevision")
	if len(got) != 1 || got[0].Turns[0].Text != "Describe the picture." || string(got[0].Turns[0].Image) != string(png) {
		t.Errorf("llava_onevision: %+v", got)
	}
	if _, err := LoadText(context.Background(), c, "aimo_aime", TextOptions{}); err == nil || !strings.Contains(err.Error(), "public dataset aimo_aime") || strings.Contains(err.Error(), "HF_TOKEN") {
		t.Errorf("a dataset the Hub does not have: %v", err)
	}
	if _, err := LoadText(context.Background(), c, "instruct_coder", TextOptions{}); err == nil || !strings.Contains(err.Error(), "public dataset instruct_coder: default/train/0000.parquet: damaged Parquet file (") || strings.Contains(err.Error(), "\n") {
		t.Errorf("a damaged file: %v", err)
	}
	if _, err := LoadText(context.Background(), c, "vision_arena", TextOptions{}); err == nil || !strings.Contains(err.Error(), "gated: accept its terms on the Hub and set HF_TOKEN") {
		t.Errorf("a gated dataset without a token: %v", err)
	}
}

func TestKind(t *testing.T) {
	for name, want := range map[string]string{
		"librispeech":               "speech",
		"sharegpt":                  "text",
		"vision_arena":              "text",
		"mmvu":                      "text",
		"spec_bench":                "text",
		"spec_al_mtbench":           "text",
		"speed_bench_throughput_1k": "text",
		"speed_bench_coding":        "text",
		"nope":                      "unknown public dataset",
		"speed_bench_throughput_3k": "unknown public dataset",
	} {
		kind, err := Kind(name)
		if !strings.Contains(kind+errString(err), want) {
			t.Errorf("Kind(%q) = %q, %v; want %q", name, kind, err, want)
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestSpeedBenchNames(t *testing.T) {
	for name, want := range map[string]string{
		"speed_bench_qualitative":                 "qualitative/",
		"speed_bench_rag":                         "qualitative/rag",
		"speed_bench_throughput_16k":              "throughput_16k/",
		"speed_bench_throughput_32k_high_entropy": "throughput_32k/high_entropy",
		"speed_bench_throughput_1k_mixed":         "throughput_1k/mixed",
		"speed_bench_cooking":                     "",
		"speed_bench_throughput_4k":               "",
	} {
		config, category, ok := speedBench(name)
		if got := config + "/" + category; ok != (want != "") || ok && got != want {
			t.Errorf("speedBench(%q) = %q %v, want %q", name, got, ok, want)
		}
	}
}

// speedBenchRow is a resolved row as AIPerf caches it (datasets' to_json of
// the config with turns turned into user messages).
func speedBenchRow(id, category string, texts ...string) string {
	var msgs []string
	for _, t := range texts {
		msgs = append(msgs, `{"role":"user","content":`+strconv.Quote(t)+`}`)
	}
	return `{"question_id":"` + id + `","category":"` + category + `","source":"x","messages":[` + strings.Join(msgs, ",") + "]}\n"
}

func TestSpeedBenchFromResolvedFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "speed-bench")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	rows := speedBenchRow("q1", "coding", "write a sort", "now in Go") + "\n" +
		speedBenchRow("q2", "math", "what is 2+2") + speedBenchRow("q3", "coding", "  ")
	if err := os.WriteFile(filepath.Join(dir, "qualitative.jsonl"), []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	load := func(name string, o TextOptions) ([]Entry, error) {
		o.CacheDir = filepath.Dir(dir)
		return LoadText(context.Background(), nil, name, o)
	}
	got, err := load("speed_bench_qualitative", TextOptions{})
	if err != nil || len(got) != 2 || got[0].ID != "q1" || len(got[0].Turns) != 2 || got[0].Turns[1].Text != "now in Go" {
		t.Fatalf("qualitative: %+v, %v", got, err)
	}
	if got, err := load("speed_bench_math", TextOptions{}); err != nil || len(got) != 1 || got[0].ID != "q2" {
		t.Errorf("math: %+v, %v", got, err)
	}
	if _, err := load("speed_bench_writing", TextOptions{}); err == nil || !strings.Contains(err.Error(), `category "writing" matched none of the 3 rows`) {
		t.Errorf("writing: %v", err)
	}
	if _, err := load("speed_bench_throughput_1k", TextOptions{}); !errors.Is(err, ErrUnresolved) || !strings.Contains(err.Error(), "throughput_1k.jsonl does not exist") {
		t.Errorf("unresolved: %v", err)
	}
	if _, err := load("speed_bench_qualitative", TextOptions{Subset: "../x"}); err == nil || !strings.Contains(err.Error(), "invalid SPEED-Bench config") {
		t.Errorf("--hf-subset ../x: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "throughput_2k.jsonl"), []byte(speedBenchRow("q", "mixed", speedBenchPlaceholder)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := load("speed_bench_throughput_2k", TextOptions{}); err == nil || !strings.Contains(err.Error(), "placeholder") {
		t.Errorf("placeholder rows: %v", err)
	}
}

func TestMMVURows(t *testing.T) {
	var row, bare, open hubtest.MMVURow
	row.Question, row.Video = "Which style?", "https://huggingface.co/datasets/yale-nlp/MMVU/resolve/main/videos/Art/0.mp4"
	row.Choices.A, row.Choices.B, row.Choices.C = "Baroque", "Cubist", "Gothic"
	bare.Question, bare.Video = "What moves?", "videos/1.mp4"
	open.Question = "Open question"
	endpoint := hubtest.New(t, map[string][]byte{
		"datasets/yale-nlp/MMVU/default/validation/0000.parquet": hubtest.Parquet(t, row, bare, open),
	})
	c := &hub.Client{Endpoint: endpoint, CacheDir: t.TempDir()}
	got, err := LoadText(context.Background(), c, "mmvu", TextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Prompt{
		{Text: "Which style? A.Baroque B.Cubist C.Gothic", Video: row.Video},
		{Text: "What moves?", Video: "file://videos/1.mp4"},
		{Text: "Open question"},
	}
	for i, w := range want {
		if i >= len(got) || got[i].Turns[0].Text != w.Text || got[i].Turns[0].Video != w.Video {
			t.Errorf("row %d: got %+v, want %+v", i, got, w)
		}
	}
}

// TestSpecBenchDownload serves Spec-Bench's question.jsonl (its real shape)
// over loopback: the file lands in the cache, then serves without a server.
func TestSpecBenchDownload(t *testing.T) {
	file := `{"question_id": 81, "category": "writing", "turns": ["Compose a travel blog post.", "Rewrite it."]}
{"question_id": 82, "category": "qa", "turns": [""]}

{"question_id": 83, "category": "math_reasoning", "turns": ["What is 3*7?"]}
`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(file)) }))
	old := SpecBenchURL
	SpecBenchURL = srv.URL + "/question.jsonl"
	t.Cleanup(func() { SpecBenchURL = old })
	o := TextOptions{CacheDir: t.TempDir()}
	got, err := LoadText(context.Background(), nil, "spec_bench", o)
	if err != nil || len(got) != 2 || got[0].Turns[0].Text != "Compose a travel blog post." || len(got[0].Turns) != 1 || got[1].Turns[0].Text != "What is 3*7?" {
		t.Fatalf("spec_bench: %+v, %v", got, err)
	}
	srv.Close()
	if got, err := LoadText(context.Background(), nil, "spec_bench", o); err != nil || len(got) != 2 {
		t.Errorf("from the cache: %d, %v", len(got), err)
	}
	SpecBenchURL = srv.URL + "/gone"
	if _, err := LoadText(context.Background(), nil, "spec_bench", TextOptions{CacheDir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "public dataset spec_bench: download") {
		t.Errorf("a failed download: %v", err)
	}
}

func TestMTBenchRows(t *testing.T) {
	endpoint := hubtest.New(t, map[string][]byte{
		"datasets/HuggingFaceH4/mt_bench_prompts/default/train/0000.parquet": hubtest.Parquet(t,
			hubtest.MTBenchRow{Category: "writing", Prompt: []string{" Write a poem. ", "", "Shorter."}, Reference: []string{"r"}},
			hubtest.MTBenchRow{Category: "math", Prompt: []string{"  "}}),
	})
	c := &hub.Client{Endpoint: endpoint, CacheDir: t.TempDir()}
	got, err := LoadText(context.Background(), c, "spec_al_mtbench", TextOptions{})
	if err != nil || len(got) != 1 || len(got[0].Turns) != 2 || got[0].Turns[0].Text != "Write a poem." || got[0].Turns[1].Text != "Shorter." {
		t.Fatalf("spec_al_mtbench: %+v, %v", got, err)
	}
}

func TestVisionArenaRows(t *testing.T) {
	row := hubtest.VisionArenaRow{
		Conversation: [][]hubtest.VisionArenaMessage{{{Role: "user", Content: "What is in this image?"}}, {{Role: "assistant", Content: "A dog."}}},
		Images:       []hubtest.ImageCell{{Bytes: []byte("first")}, {Bytes: []byte("second")}},
	}
	endpoint := hubtest.New(t, map[string][]byte{
		"datasets/lmarena-ai/VisionArena-Chat/default/train/0000.parquet": hubtest.Parquet(t, row),
	})
	c := &hub.Client{Endpoint: endpoint, CacheDir: t.TempDir()}
	got, err := LoadText(context.Background(), c, "vision_arena", TextOptions{})
	if err != nil || len(got) != 1 || got[0].Turns[0].Text != "What is in this image?" || string(got[0].Turns[0].Image) != "first" {
		t.Fatalf("vision_arena: %+v, %v", got, err)
	}
}
