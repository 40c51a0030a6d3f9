package inputs

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/rand"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/audio"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// opts parses args with the real flag defaults.
func opts(t testing.TB, args ...string) *options.Options {
	t.Helper()
	var o options.Options
	testkit.ParseFlags(t, args, &o)
	return &o
}

// buildErr is the error building the dataset of args gives (nil if none).
func buildErr(t testing.TB, args ...string) error {
	t.Helper()
	_, err := Build(opts(t, args...), tokens.Words{}, rand.New(rand.NewSource(1)))
	return err
}

// wantBuildError checks that building the dataset of args fails with one
// line holding want.
func wantBuildError(t testing.TB, want string, args ...string) {
	t.Helper()
	err := buildErr(t, args...)
	if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
		t.Errorf("%v: error %v, want one line containing %q", args, err, want)
	}
}

// refusal is flags a test adds to its own and the text of the error they
// must give.
type refusal struct {
	args []string
	want string
}

// wantRefusals checks every case: base then its args fail to build, in one
// line holding its want.
func wantRefusals(t testing.TB, base []string, cases []refusal) {
	t.Helper()
	for _, c := range cases {
		wantBuildError(t, c.want, append(append([]string(nil), base...), c.args...)...)
	}
}

// wantFlagError checks that building the dataset of args fails with an
// options.Error naming --flag whose text holds msg.
func wantFlagError(t testing.TB, flag, msg string, args ...string) {
	t.Helper()
	err := buildErr(t, args...)
	var oe *options.Error
	if !errors.As(err, &oe) || oe.Flag != flag || !strings.Contains(err.Error(), msg) {
		t.Errorf("%v: got %v, want --%s ... %s", args, err, flag, msg)
	}
}

// turnsOf is f of every turn, conversation by conversation.
func turnsOf[T any](d *Dataset, f func(Turn) T) [][]T {
	var out [][]T
	for _, c := range d.Conversations {
		var cv []T
		for _, tr := range c.Turns {
			cv = append(cv, f(tr))
		}
		out = append(out, cv)
	}
	return out
}

// flagRefusal is flags a test adds to its own, the flag their options.Error
// must name and the text it must hold.
type flagRefusal struct {
	args      []string
	flag, msg string
}

// wantFlagRefusals checks every case: base then its args fail to build,
// naming its flag.
func wantFlagRefusals(t testing.TB, base []string, cases []flagRefusal) {
	t.Helper()
	for _, c := range cases {
		wantFlagError(t, c.flag, c.msg, append(append([]string(nil), base...), c.args...)...)
	}
}

// firstTurns builds the dataset of args then more (a case's own flags) and
// returns each conversation's first turn.
func firstTurns(t testing.TB, seed int64, args []string, more ...string) []Turn {
	t.Helper()
	d := build(t, seed, append(append([]string(nil), args...), more...)...)
	turns := make([]Turn, len(d.Conversations))
	for i, c := range d.Conversations {
		turns[i] = c.Turns[0]
	}
	return turns
}

func build(t testing.TB, seed int64, args ...string) *Dataset {
	t.Helper()
	d, err := Build(opts(t, args...), tokens.Words{}, rand.New(rand.NewSource(seed)))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// chatBody is the decoded shape of a chat body, for checks.
type chatBody struct {
	Messages []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	} `json:"messages"`
	Model               string          `json:"model"`
	Stream              *bool           `json:"stream"`
	StreamOptions       json.RawMessage `json:"stream_options"`
	MaxCompletionTokens *int            `json:"max_completion_tokens"`
	MaxTokens           *int            `json:"max_tokens"`
}

type contentPart struct {
	Type       string `json:"type"`
	Text       string `json:"text"`
	InputAudio struct {
		Data   string `json:"data"`
		Format string `json:"format"`
	} `json:"input_audio"`
	ImageURL struct {
		URL string `json:"url"`
	} `json:"image_url"`
}

func decode(t testing.TB, b Body) chatBody {
	t.Helper()
	var c chatBody
	dec := json.NewDecoder(b.Reader())
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		t.Fatalf("body is not the chat shape: %v\n%s", err, b.Bytes())
	}
	return c
}

// parts returns the content of the last message as parts (a plain string is one text part).
func parts(t testing.TB, c chatBody) []contentPart {
	t.Helper()
	raw := c.Messages[len(c.Messages)-1].Content
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return []contentPart{{Type: "text", Text: s}}
	}
	var ps []contentPart
	if err := json.Unmarshal(raw, &ps); err != nil {
		t.Fatalf("content %s: %v", raw, err)
	}
	return ps
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestSyntheticTextIsTokenExact(t *testing.T) {
	d := build(t, 1, "-m", "x", "--isl", "50", "--synthetic-input-tokens-stddev", "20", "--num-dataset-entries", "200")
	if len(d.Conversations) != 200 || d.FixedSchedule {
		t.Fatalf("%d conversations, fixed=%v", len(d.Conversations), d.FixedSchedule)
	}
	seen, lengths := map[string]bool{}, map[int]bool{}
	for _, c := range d.Conversations {
		if !uuidRE.MatchString(c.ID) || seen[c.ID] {
			t.Fatalf("session id %q malformed or repeated", c.ID)
		}
		seen[c.ID] = true
		if len(c.Turns) != 1 {
			t.Fatalf("%d turns", len(c.Turns))
		}
		tr := c.Turns[0]
		body := decode(t, tr.Body)
		var text string
		if err := json.Unmarshal(body.Messages[0].Content, &text); err != nil {
			t.Fatalf("one text and no media must be a plain string: %s", body.Messages[0].Content)
		}
		if n := (tokens.Words{}).Count(text); n != tr.InputTokens || n < 1 {
			t.Fatalf("text has %d tokens, turn says %d", n, tr.InputTokens)
		}
		if body.Model != "x" || tr.Model != "x" || tr.ContentType != "application/json" || body.Stream == nil || *body.Stream ||
			body.MaxCompletionTokens != nil || tr.MaxTokens != 0 || tr.AudioBytes != 0 {
			t.Fatalf("unexpected turn %+v / body %+v", tr, body)
		}
		lengths[tr.InputTokens] = true
	}
	if len(lengths) < 20 {
		t.Fatalf("stddev 20 gave only %d distinct lengths", len(lengths))
	}
}

func TestSyntheticAudio(t *testing.T) {
	d := build(t, 2, "-m", "x", "--isl", "0", "--audio-length-mean", "0.3", "--audio-length-stddev", "0.2",
		"--audio-sample-rates", "8,44.1", "--audio-depths", "16,24", "--audio-batch-size", "2", "--num-dataset-entries", "12", "--streaming")
	rates, depths := map[int]bool{}, map[int]bool{}
	for _, c := range d.Conversations {
		tr := c.Turns[0]
		body := decode(t, tr.Body)
		if body.Stream == nil || !*body.Stream || string(body.StreamOptions) != `{"include_usage":true}` {
			t.Fatalf("streaming keys missing: %s", tr.Body.Bytes()[:200])
		}
		ps := parts(t, body)
		if len(ps) != 2 {
			t.Fatalf("want 2 audio parts and no text, got %d parts", len(ps))
		}
		var secs float64
		var n int
		for _, p := range ps {
			data, err := base64.StdEncoding.DecodeString(p.InputAudio.Data)
			if p.Type != "input_audio" || p.InputAudio.Format != "wav" || err != nil {
				t.Fatalf("bad audio part %s %s: %v", p.Type, p.InputAudio.Format, err)
			}
			info, err := audio.Inspect(data)
			if err != nil || info.Format != "wav" || info.Seconds < 0.01 || info.Channels != 1 {
				t.Fatalf("clip %+v: %v", info, err)
			}
			rates[info.SampleRate], depths[info.Depth] = true, true
			secs += info.Seconds
			n += len(data)
		}
		if tr.AudioBytes != n || tr.AudioSeconds < secs-1e-9 || tr.AudioSeconds > secs+1e-9 || tr.InputTokens != 0 {
			t.Fatalf("turn says %d bytes %g s, clips are %d bytes %g s", tr.AudioBytes, tr.AudioSeconds, n, secs)
		}
	}
	if !reflect.DeepEqual(rates, map[int]bool{8000: true, 44100: true}) || !reflect.DeepEqual(depths, map[int]bool{16: true, 24: true}) {
		t.Fatalf("rates %v depths %v not both drawn", rates, depths)
	}
}

func TestSyntheticIsDeterministic(t *testing.T) {
	args := []string{"-m", "a,b", "--model-selection-strategy", "random", "--isl", "30", "--synthetic-input-tokens-stddev", "5",
		"--audio-length-mean", "0.05", "--num-dataset-entries", "6", "--osl", "9", "--output-tokens-stddev", "3"}
	flat := func(d *Dataset) []byte {
		var buf bytes.Buffer
		for _, e := range d.Entries() {
			buf.WriteString(e.SessionID)
			for _, p := range e.Payloads {
				p.WriteTo(&buf)
			}
		}
		return buf.Bytes()
	}
	a, b, c := flat(build(t, 7, args...)), flat(build(t, 7, args...)), flat(build(t, 8, args...))
	if !bytes.Equal(a, b) {
		t.Fatal("same seed gave different datasets")
	}
	if bytes.Equal(a, c) {
		t.Fatal("different seeds gave the same dataset")
	}
}

func TestSyntheticPrefixAndOutputLength(t *testing.T) {
	d := build(t, 3, "-m", "x", "--isl", "10", "--prompt-prefix-pool-size", "3", "--prompt-prefix-length", "4",
		"--osl", "12", "--num-dataset-entries", "40")
	prefixes := map[string]bool{}
	for _, c := range d.Conversations {
		tr := c.Turns[0]
		body := decode(t, tr.Body)
		words := strings.Fields(parts(t, body)[0].Text)
		prefixes[strings.Join(words[:4], " ")] = true
		if tr.InputTokens != 14 || len(words) != 14 {
			t.Fatalf("prefix + text = %d words, InputTokens %d, want 14", len(words), tr.InputTokens)
		}
		if body.MaxCompletionTokens == nil || *body.MaxCompletionTokens != 12 || tr.MaxTokens != 12 || body.MaxTokens != nil {
			t.Fatalf("max_completion_tokens not 12: %+v", body)
		}
	}
	if len(prefixes) != 3 {
		t.Fatalf("%d distinct prefixes, want the pool's 3", len(prefixes))
	}
	d = build(t, 3, "-m", "x", "--isl", "5", "--osl", "3", "--use-legacy-max-tokens", "--num-dataset-entries", "1")
	if body := decode(t, d.Conversations[0].Turns[0].Body); body.MaxTokens == nil || *body.MaxTokens != 3 || body.MaxCompletionTokens != nil {
		t.Fatalf("legacy key not used: %s", d.Conversations[0].Turns[0].Body.Bytes())
	}
}

func TestModelSelection(t *testing.T) {
	d := build(t, 4, "-m", "a,b,c", "--isl", "3", "--num-dataset-entries", "5")
	var got []string
	for _, c := range d.Conversations {
		if m := decode(t, c.Turns[0].Body).Model; m != c.Turns[0].Model {
			t.Fatalf("body model %q, turn model %q", m, c.Turns[0].Model)
		}
		got = append(got, c.Turns[0].Model)
	}
	if strings.Join(got, ",") != "a,b,c,a,b" {
		t.Fatalf("round robin gave %v", got)
	}
	d = build(t, 4, "-m", "a,b,c", "--model-selection-strategy", "random", "--isl", "3", "--num-dataset-entries", "60")
	count := map[string]int{}
	for _, c := range d.Conversations {
		count[c.Turns[0].Model]++
	}
	if len(count) != 3 {
		t.Fatalf("random selection drew %v", count)
	}
}

func TestExtraInputsInBody(t *testing.T) {
	d := build(t, 5, "-m", "x", "--isl", "2", "--num-dataset-entries", "1", "--streaming",
		"--extra-inputs", "min_tokens:5", "--extra-inputs", `{"ignore_eos":true,"stream":false}`)
	got := string(d.Conversations[0].Turns[0].Body.Bytes())
	// AIPerf reads the merged "stream": turned off by an extra, no stream_options.
	if !strings.HasSuffix(got, `"model":"x","stream":false,"min_tokens":5,"ignore_eos":true}`) {
		t.Fatalf("extra inputs not merged: %s", got)
	}
}

func TestBuildErrorsNameTheFlag(t *testing.T) {
	wantRefusals(t, nil, []refusal{
		{[]string{"-m", "x", "--isl", "0"}, "--synthetic-input-tokens-mean (AIPERF_SYNTHETIC_INPUT_TOKENS_MEAN)"},
		{[]string{"--isl", "3"}, "--model"},
		{[]string{"-m", "x", "--extra-inputs", "oops"}, "--extra-inputs"},
		{[]string{"-m", "x", "--model-selection-strategy", "best"}, "--model-selection-strategy"},
		{[]string{"-m", "x", "--audio-length-mean", "0.001"}, "--audio-length-mean"},
		{[]string{"-m", "x", "--audio-length-mean", "1", "--audio-format", "flac"}, "--audio-format"},
	})
}

func BenchmarkBuildSynthetic(b *testing.B) {
	o := opts(b, "-m", "x", "--audio-length-mean", "5", "--num-dataset-entries", "100")
	for b.Loop() {
		if _, err := Build(o, tokens.Words{}, rand.New(rand.NewSource(1))); err != nil {
			b.Fatal(err)
		}
	}
}
