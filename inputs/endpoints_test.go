package inputs

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// keysOf returns a JSON object's keys in document order.
func keysOf(t *testing.T, body []byte) string {
	t.Helper()
	fs, err := objectFields(body)
	if err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	keys := make([]string, len(fs))
	for i, f := range fs {
		keys[i] = f.Key
	}
	return strings.Join(keys, ",")
}

// checkFields checks a JSON body's keys, in order, and the exact JSON values
// of those in want.
func checkFields(t *testing.T, args []string, body []byte, keys string, want map[string]string) {
	t.Helper()
	if got := keysOf(t, body); got != keys {
		t.Fatalf("%v: keys %s, want %s", args, got, keys)
	}
	fs, _ := objectFields(body)
	for _, f := range fs {
		if w, ok := want[f.Key]; ok && string(f.Value) != w {
			t.Errorf("%v: %s = %s, want %s", args, f.Key, f.Value, w)
		}
	}
}

// Completions bodies are AIPerf's CompletionsEndpoint payload: prompt as a
// list, model, stream, max_tokens when asked, the extras (updating in
// place), and stream_options only when streaming with server token counts.
func TestCompletionsBody(t *testing.T) {
	cases := []struct {
		args []string
		keys string
		want map[string]string // key: its exact JSON value
	}{
		{nil, "prompt,model,stream", map[string]string{"model": `"gpt2"`, "stream": "false"}},
		{[]string{"--streaming", "--osl", "7"}, "prompt,model,stream,max_tokens",
			map[string]string{"stream": "true", "max_tokens": "7"}},
		{[]string{"--streaming", "--use-server-token-count"}, "prompt,model,stream,stream_options",
			map[string]string{"stream_options": `{"include_usage":true}`}},
		{[]string{"--streaming", "--use-server-token-count", "--extra-inputs", `{"stream_options":{"x":1},"model":"other","temperature":0}`},
			"prompt,model,stream,stream_options,temperature",
			map[string]string{"model": `"other"`, "stream_options": `{"x":1,"include_usage":true}`, "temperature": "0"}},
		{[]string{"--use-legacy-max-tokens", "--osl", "3"}, "prompt,model,stream,max_tokens", map[string]string{"max_tokens": "3"}},
	}
	for _, c := range cases {
		for _, tr := range firstTurns(t, 3, []string{"-m", "gpt2", "--endpoint-type", "completions", "--isl", "12", "--num-dataset-entries", "2"}, c.args...) {
			body := tr.Body.Bytes()
			checkFields(t, c.args, body, c.keys, c.want)
			var b struct{ Prompt []string }
			if err := json.Unmarshal(body, &b); err != nil || len(b.Prompt) != 1 || len(strings.Fields(b.Prompt[0])) != 12 {
				t.Fatalf("%v: prompt %q (%v), want one text of 12 words", c.args, b.Prompt, err)
			}
			if tr.ContentType != ContentTypeJSON || tr.InputTokens != 12 || tr.Inputs != nil {
				t.Fatalf("%v: turn %+v", c.args, tr)
			}
		}
	}
}

// Text-only endpoints refuse what their payload cannot carry, naming the
// flag or the file line.
func TestPlainEndpointRefusals(t *testing.T) {
	textConversation := filepath.Join(t.TempDir(), "conv.jsonl")
	if err := os.WriteFile(textConversation, []byte(`{"turns": [{"text": "a"}, {"text": "b"}]}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	videoLine := filepath.Join(t.TempDir(), "video.jsonl")
	if err := os.WriteFile(videoLine, []byte(`{"text": "a", "video": "https://example.invalid/v.mp4"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	wantRefusals(t, []string{"-m", "x", "--endpoint-type", "completions"}, []refusal{
		{[]string{"--audio-length-mean", "1"}, "--audio-length-mean"},
		{[]string{"--input-file", videoLine}, "completions sends no video, this turn has 1 video(s)"},
		{[]string{"--endpoint-type", "responses", "--input-file", videoLine}, "responses sends no video"},
		{[]string{"--input-file", "testdata/multi_turn.jsonl", "--custom-dataset-type", "multi_turn"}, "multi_turn.jsonl:1: turn 1: completions sends text only"},
		{[]string{"--input-file", textConversation, "--custom-dataset-type", "multi_turn"}, "request 2 of the dataset: completions sends one turn per request"},
		// Embedded with texts, images go in pairs, as AIPerf raises for unequal counts;
		// image retrieval sends images only, and AIPerf raises for a turn without.
		{[]string{"--endpoint-type", "nim_embeddings", "-b", "2", "--image-batch-size", "1", "--image-width-mean", "8", "--image-height-mean", "8"}, "2 text(s) and 1 image(s)"},
		{[]string{"--endpoint-type", "embeddings", "--image-batch-size", "1", "--image-width-mean", "8", "--image-height-mean", "8"}, "embeddings sends text only, this turn has 1 image(s)"},
		{[]string{"--endpoint-type", "image_retrieval"}, "image_retrieval sends images only"},
	})
}

// Embeddings bodies are AIPerf's EmbeddingsEndpoint payload: model, then
// input (a list of --prompt-batch-size texts), then the extras; no output
// length, no stream.
func TestEmbeddingsBody(t *testing.T) {
	cases := []struct {
		args  []string
		keys  string
		texts int
	}{
		{nil, "model,input", 1},
		{[]string{"--prompt-batch-size", "3", "--osl", "9"}, "model,input", 3},
		{[]string{"-b", "2", "--extra-inputs", "encoding_format:float", "--extra-inputs", "model:other"}, "model,input,encoding_format", 2},
	}
	for _, c := range cases {
		for _, tr := range firstTurns(t, 4, []string{"-m", "e5", "--endpoint-type", "embeddings", "--isl", "5", "--num-dataset-entries", "2"}, c.args...) {
			body := tr.Body.Bytes()
			if got := keysOf(t, body); got != c.keys {
				t.Fatalf("%v: keys %s, want %s", c.args, got, c.keys)
			}
			var b struct {
				Model string
				Input []string
			}
			if err := json.Unmarshal(body, &b); err != nil || len(b.Input) != c.texts {
				t.Fatalf("%v: input %q (%v), want %d texts", c.args, b.Input, err, c.texts)
			}
			for _, in := range b.Input {
				if len(strings.Fields(in)) != 5 {
					t.Fatalf("%v: text %q is not 5 words", c.args, in)
				}
			}
			if tr.InputTokens != 5*c.texts {
				t.Errorf("%v: ISL %d, want %d", c.args, tr.InputTokens, 5*c.texts)
			}
		}
	}
}

// --prompt-batch-size batches chat text parts and completions prompts too,
// each text drawn on its own.
func TestPromptBatchSizeForChatAndCompletions(t *testing.T) {
	d := build(t, 5, "-m", "m", "--isl", "4", "--isl-stddev", "2", "--prompt-batch-size", "3", "--num-dataset-entries", "1")
	var chat chatBody
	if err := json.Unmarshal(d.Conversations[0].Turns[0].Body.Bytes(), &chat); err != nil {
		t.Fatal(err)
	}
	var parts []contentPart
	if err := json.Unmarshal(chat.Messages[0].Content, &parts); err != nil || len(parts) != 3 {
		t.Fatalf("chat content %s: want 3 text parts (%v)", chat.Messages[0].Content, err)
	}
	d = build(t, 5, "-m", "m", "--endpoint-type", "completions", "--isl", "4", "-b", "2", "--num-dataset-entries", "1")
	var comp struct{ Prompt []string }
	if err := json.Unmarshal(d.Conversations[0].Turns[0].Body.Bytes(), &comp); err != nil || len(comp.Prompt) != 2 {
		t.Fatalf("completions prompt %q (%v), want 2", comp.Prompt, err)
	}
}

// Each rankings endpoint type gets its own payload, as AIPerf builds it: one
// query and the drawn passages, then the extras.
func TestRankingsBodies(t *testing.T) {
	nimPassages := func(b []byte) []string {
		var v struct{ Passages []struct{ Text string } }
		_ = json.Unmarshal(b, &v)
		var out []string
		for _, p := range v.Passages {
			out = append(out, p.Text)
		}
		return out
	}
	textQuery := func(b []byte) string { // {"text": query}
		var v struct{ Query struct{ Text string } }
		_ = json.Unmarshal(b, &v)
		return v.Query.Text
	}
	stringQuery := func(b []byte) string { var v struct{ Query string }; _ = json.Unmarshal(b, &v); return v.Query }
	texts := func(b []byte) []string { var v struct{ Texts []string }; _ = json.Unmarshal(b, &v); return v.Texts }
	documents := func(b []byte) []string {
		var v struct{ Documents []string }
		_ = json.Unmarshal(b, &v)
		return v.Documents
	}
	cases := []struct {
		endpoint, keys string
		passages       func(body []byte) []string
		query          func(body []byte) string
	}{
		{"nim_rankings", "model,query,passages", nimPassages, textQuery},
		{"hf_tei_rankings", "query,texts", texts, stringQuery},
		{"cohere_rankings", "model,query,documents", documents, stringQuery},
		// AIPerf's earlier reranker names: hf_tei_reranker.py and huggingface_reranker.py
		// are TEI's payload, cohere_rerank.py Cohere's with the query as {"text"}.
		{"hf_tei_reranker", "query,texts", texts, stringQuery},
		{"huggingface_reranker", "query,texts", texts, stringQuery},
		{"cohere_rerank", "model,query,documents", documents, textQuery},
	}
	for _, c := range cases {
		d := build(t, 6, "-m", "rr", "--endpoint-type", c.endpoint, "--num-dataset-entries", "40",
			"--rankings-passages-mean", "5", "--rankings-passages-stddev", "2",
			"--rankings-passages-prompt-token-mean", "7", "--rankings-query-prompt-token-mean", "3",
			"--extra-inputs", "top_n:2")
		counts := map[int]bool{}
		for _, conv := range d.Conversations {
			tr := conv.Turns[0]
			body := tr.Body.Bytes()
			if got := keysOf(t, body); got != c.keys+",top_n" {
				t.Fatalf("%s: keys %s, want %s,top_n", c.endpoint, got, c.keys)
			}
			ps := c.passages(body)
			if len(ps) < 1 {
				t.Fatalf("%s: no passages in %s", c.endpoint, body)
			}
			counts[len(ps)] = true
			for _, p := range ps {
				if len(strings.Fields(p)) != 7 {
					t.Fatalf("%s: passage %q is not 7 words", c.endpoint, p)
				}
			}
			if q := c.query(body); len(strings.Fields(q)) != 3 {
				t.Fatalf("%s: query %q is not 3 words", c.endpoint, q)
			}
			if tr.InputTokens != 3+7*len(ps) {
				t.Errorf("%s: input tokens %d, want %d", c.endpoint, tr.InputTokens, 3+7*len(ps))
			}
		}
		if len(counts) < 3 {
			t.Errorf("%s: passage counts %v do not vary with --rankings-passages-stddev 2", c.endpoint, counts)
		}
	}
	// Without a stddev every request has exactly the mean.
	for _, conv := range build(t, 7, "-m", "rr", "--endpoint-type", "cohere_rankings", "--rankings-passages-mean", "4", "--num-dataset-entries", "5").Conversations {
		var v struct{ Documents []string }
		if err := json.Unmarshal(conv.Turns[0].Body.Bytes(), &v); err != nil || len(v.Documents) != 4 {
			t.Fatalf("documents %d (%v), want 4", len(v.Documents), err)
		}
	}
}

// Rankings take synthetic queries and passages only; the refusal names the flag.
func TestRankingsRefusals(t *testing.T) {
	wantRefusals(t, []string{"-m", "x", "--endpoint-type", "nim_rankings"}, []refusal{
		{[]string{"--input-file", "testdata/single_turn.jsonl"}, "--input-file (AIPERF_INPUT_FILE): nim_rankings takes synthetic queries and passages only"},
		{[]string{"--audio-length-mean", "1"}, "--audio-length-mean"},
		{[]string{"--audio-source", "speech"}, "--audio-source"},
	})
}

// TGI bodies are AIPerf's HuggingFaceGenerateEndpoint payload: the texts
// joined as inputs, and parameters of max_new_tokens updated by --extra-inputs.
func TestTGIBody(t *testing.T) {
	cases := []struct {
		args   []string
		params string
	}{
		{nil, `{}`},
		{[]string{"--osl", "5", "--extra-inputs", "temperature:0.5", "--extra-inputs", "max_new_tokens:9"}, `{"max_new_tokens":9,"temperature":0.5}`},
		{[]string{"--osl", "5", "-b", "2"}, `{"max_new_tokens":5}`},
	}
	for _, c := range cases {
		d := build(t, 8, append([]string{"-m", "tgi", "--endpoint-type", "huggingface_generate", "--isl", "4", "--num-dataset-entries", "1"}, c.args...)...)
		body := d.Conversations[0].Turns[0].Body.Bytes()
		if got := keysOf(t, body); got != "inputs,parameters" {
			t.Fatalf("%v: keys %s", c.args, got)
		}
		var v struct {
			Inputs     string
			Parameters json.RawMessage
		}
		if err := json.Unmarshal(body, &v); err != nil || string(v.Parameters) != c.params {
			t.Errorf("%v: parameters %s (%v), want %s", c.args, v.Parameters, err, c.params)
		}
		if want := 4 * max(1, strings.Count(strings.Join(c.args, " "), "-b 2")*2); len(strings.Fields(v.Inputs)) != want {
			t.Errorf("%v: inputs %q, want %d words", c.args, v.Inputs, want)
		}
	}
}

// Responses bodies are AIPerf's ResponsesEndpoint payload: input (the
// conversation as message items, Responses part names), model, stream,
// max_output_tokens, extras, and the usage option only with server counts.
func TestResponsesBody(t *testing.T) {
	d := build(t, 9, "-m", "gpt", "--endpoint-type", "responses", "--isl", "3", "--osl", "20", "--streaming",
		"--use-server-token-count", "--num-dataset-entries", "1", "--extra-inputs", "store:false")
	body := d.Conversations[0].Turns[0].Body.Bytes()
	if got := keysOf(t, body); got != "input,model,stream,max_output_tokens,store,stream_options" {
		t.Fatalf("keys %s", got)
	}
	var v struct {
		Input []struct{ Type, Role, Content string } // content a string: a list of parts does not decode
	}
	if err := json.Unmarshal(body, &v); err != nil || len(v.Input) != 1 || v.Input[0].Type != "message" || v.Input[0].Role != "user" {
		t.Fatalf("input %s (%v)", body, err)
	}
	if s := v.Input[0].Content; len(strings.Fields(s)) != 3 {
		t.Fatalf("content %q: want one 3-word string", s)
	}
	// A multi-turn file resends the history; audio and several texts become parts.
	d = loadArgs(t, "testdata/multi_turn.jsonl", "multi_turn", "--endpoint-type", "responses")
	turns := d.Conversations[0].Turns
	last := turns[len(turns)-1].Body.Bytes()
	var mt struct {
		Input []struct {
			Content json.RawMessage
		}
	}
	if err := json.Unmarshal(last, &mt); err != nil || len(mt.Input) != len(turns) {
		t.Fatalf("last turn %d items (%v), want %d", len(mt.Input), err, len(turns))
	}
	first := string(mt.Input[0].Content)
	if !strings.Contains(first, `{"type":"input_text","text":"Hello there."}`) || !strings.Contains(first, `{"type":"input_audio","input_audio":{"data":"`) {
		t.Errorf("first item content %.200s: want input_text and input_audio parts", first)
	}
}

// SOLIDO RAG bodies are AIPerf's SolidoEndpoint payload: query (the turn's
// texts), the default filters, inference_model, then --extra-inputs; no
// stream and no output length (AIPerf sends neither).
func TestSolidoBody(t *testing.T) {
	d := build(t, 9, "-m", "llama", "--endpoint-type", "solido_rag", "--isl", "3", "--osl", "20", "--streaming",
		"--num-dataset-entries", "1", "--extra-inputs", "top_k:3")
	body := d.Conversations[0].Turns[0].Body.Bytes()
	if got := keysOf(t, body); got != "query,filters,inference_model,top_k" {
		t.Fatalf("keys %s", got)
	}
	var v struct {
		Query          []string
		Filters        map[string]string
		InferenceModel string `json:"inference_model"`
	}
	if err := json.Unmarshal(body, &v); err != nil || len(v.Query) != 1 || len(strings.Fields(v.Query[0])) != 3 ||
		v.Filters["family"] != "Solido" || v.Filters["tool"] != "SDE" || len(v.Filters) != 2 || v.InferenceModel != "llama" {
		t.Errorf("body %s (%v)", body, err)
	}
}
