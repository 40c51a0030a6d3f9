package inputs

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

var clipA = &clipRef{Format: "wav", Base64: []byte("UklGRiQAAABXQVZF"), Seconds: 1, Bytes: 12}

func TestChatBodyShape(t *testing.T) {
	user := func(texts []string, audios ...*clipRef) message {
		return message{Role: "user", Texts: texts, Audios: audios}
	}
	cases := []struct {
		name string
		req  chatRequest
		want string
	}{
		{"one text is a plain string",
			chatRequest{Messages: []message{user([]string{`say "hi" <b>`})}, Model: "m"},
			`{"messages":[{"role":"user","content":"say \"hi\" <b>"}],"model":"m","stream":false}`},
		{"text then audio, streaming",
			chatRequest{Messages: []message{user([]string{"hello"}, clipA)}, Model: "Qwen/Qwen2.5-Omni-3B", Stream: true},
			`{"messages":[{"role":"user","content":[{"type":"text","text":"hello"},{"type":"input_audio","input_audio":{"data":"UklGRiQAAABXQVZF","format":"wav"}}]}],"model":"Qwen/Qwen2.5-Omni-3B","stream":true,"stream_options":{"include_usage":true}}`},
		{"audio only, two clips, max tokens",
			chatRequest{Messages: []message{user(nil, clipA, clipA)}, Model: "m", MaxTokens: 7},
			`{"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"UklGRiQAAABXQVZF","format":"wav"}},{"type":"input_audio","input_audio":{"data":"UklGRiQAAABXQVZF","format":"wav"}}]}],"model":"m","stream":false,"max_completion_tokens":7}`},
		{"legacy max_tokens",
			chatRequest{Messages: []message{user([]string{"x"})}, Model: "m", MaxTokens: 3, LegacyMaxKey: true},
			`{"messages":[{"role":"user","content":"x"}],"model":"m","stream":false,"max_tokens":3}`},
		// AIPerf reads the merged "stream": an extra turning it off sends no
		// stream_options (servers reject them with stream false).
		{"extra overrides in place, new keys last",
			chatRequest{Messages: []message{user([]string{"x"})}, Model: "m", Stream: true,
				Extra: []field{{"stream", json.RawMessage(`false`)}, {"ignore_eos", json.RawMessage(`true`)}, {"min_tokens", json.RawMessage(`5`)}}},
			`{"messages":[{"role":"user","content":"x"}],"model":"m","stream":false,"ignore_eos":true,"min_tokens":5}`},
		{"stream_options go last, after the extras",
			chatRequest{Messages: []message{user([]string{"x"})}, Model: "m", Stream: true, MaxTokens: 4,
				Extra: []field{{"ignore_eos", json.RawMessage(`true`)}}},
			`{"messages":[{"role":"user","content":"x"}],"model":"m","stream":true,"max_completion_tokens":4,"ignore_eos":true,"stream_options":{"include_usage":true}}`},
		{"an extra stream_options keeps its keys and gains include_usage",
			chatRequest{Messages: []message{user([]string{"x"})}, Model: "m", Stream: true,
				Extra: []field{{"stream_options", json.RawMessage(`{"continuous_usage_stats":true}`)}}},
			`{"messages":[{"role":"user","content":"x"}],"model":"m","stream":true,"stream_options":{"continuous_usage_stats":true,"include_usage":true}}`},
		{"an extra include_usage is the author's",
			chatRequest{Messages: []message{user([]string{"x"})}, Model: "m", Stream: true,
				Extra: []field{{"stream_options", json.RawMessage(`{"include_usage":false}`)}}},
			`{"messages":[{"role":"user","content":"x"}],"model":"m","stream":true,"stream_options":{"include_usage":false}}`},
		{"empty texts make no part",
			chatRequest{Messages: []message{{Role: "user", Texts: []string{"", "b"}, Audios: []*clipRef{clipA}}}, Model: "m"},
			`{"messages":[{"role":"user","content":[{"type":"text","text":"b"},{"type":"input_audio","input_audio":{"data":"UklGRiQAAABXQVZF","format":"wav"}}]}],"model":"m","stream":false}`},
		{"no part at all is an empty string",
			chatRequest{Messages: []message{{Role: "user", Texts: []string{"", ""}}}, Model: "m"},
			`{"messages":[{"role":"user","content":""}],"model":"m","stream":false}`},
		{"two texts and an image make a list",
			chatRequest{Messages: []message{{Role: "user", Texts: []string{"a", "b"}, Images: []*urlRef{newURLRef("https://x/y.png")}}}, Model: "m"},
			`{"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"},{"type":"image_url","image_url":{"url":"https://x/y.png"}}]}],"model":"m","stream":false}`},
		{"history resent before the turn",
			chatRequest{Messages: []message{user([]string{"first"}), user([]string{"second"}, clipA)}, Model: "m"},
			`{"messages":[{"role":"user","content":"first"},{"role":"user","content":[{"type":"text","text":"second"},{"type":"input_audio","input_audio":{"data":"UklGRiQAAABXQVZF","format":"wav"}}]}],"model":"m","stream":false}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := c.req.body()
			got := b.Bytes()
			if !json.Valid(got) {
				t.Fatalf("invalid JSON: %s", got)
			}
			if string(got) != c.want {
				t.Fatalf("body\n got %s\nwant %s", got, c.want)
			}
			if b.Len() != len(got) {
				t.Fatalf("Len %d, bytes %d", b.Len(), len(got))
			}
			var buf bytes.Buffer
			if n, err := b.WriteTo(&buf); err != nil || n != int64(len(got)) || buf.String() != c.want {
				t.Fatalf("WriteTo = %d, %v, %q", n, err, buf.String())
			}
		})
	}
}

// sharesSegment reports whether b holds p itself (same backing array) as a segment.
func sharesSegment(b Body, p []byte) bool {
	for _, s := range b {
		if len(s) == len(p) && len(p) > 0 && &s[0] == &p[0] {
			return true
		}
	}
	return false
}

func TestTurnsShareClipBase64(t *testing.T) {
	big := &clipRef{Format: "wav", Base64: bytes.Repeat([]byte("QUJD"), 1024), Seconds: 2, Bytes: 3072}
	one := chatRequest{Messages: []message{{Role: "user", Texts: []string{"a"}, Audios: []*clipRef{big}}}, Model: "m"}
	two := chatRequest{Messages: []message{{Role: "user", Audios: []*clipRef{big}}}, Model: "n", Stream: true}
	b1, b2 := one.body(), two.body()
	if !sharesSegment(b1, big.Base64) || !sharesSegment(b2, big.Base64) {
		t.Fatal("the clip's base64 is not referenced as its own segment by both bodies")
	}
	if len(b1) != 3 || len(b2) != 3 {
		t.Fatalf("want prefix, audio, suffix segments; got %d and %d", len(b1), len(b2))
	}
}

func TestBodyReader(t *testing.T) {
	b := Body{[]byte(`{"a":"`), bytes.Repeat([]byte("xyz"), 5000), nil, []byte(`"}`)}
	want := b.Bytes()
	if err := iotest.TestReader(b.Reader(), want); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(iotest.OneByteReader(b.Reader()))
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("one-byte reads: %v, equal=%v", err, bytes.Equal(got, want))
	}
	var sb strings.Builder
	if n, err := io.Copy(&sb, b.Reader()); err != nil || n != int64(len(want)) || sb.String() != string(want) {
		t.Fatalf("io.Copy: %d %v", n, err)
	}
	if n, _ := io.Copy(io.Discard, Body(nil).Reader()); n != 0 {
		t.Fatalf("empty body gave %d bytes", n)
	}
}

// The send path must not copy the body: one small reader per request at most.
func TestBodyReaderDoesNotCopy(t *testing.T) {
	b := benchBody()
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := io.Copy(io.Discard, b.Reader()); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 1 {
		t.Fatalf("%v allocations per request, want at most 1", allocs)
	}
}

func benchBody() Body {
	clip := &clipRef{Format: "wav", Base64: bytes.Repeat([]byte("A"), 256<<10)}
	req := chatRequest{Messages: []message{{Role: "user", Texts: []string{strings.Repeat("word ", 550)}, Audios: []*clipRef{clip}}}, Model: "m", Stream: true}
	return req.body()
}

// BenchmarkBodyReader is the per-request cost of sending a body with 256 KiB of
// base64 audio: expect 1 alloc of a few dozen bytes, no copy of the audio.
func BenchmarkBodyReader(b *testing.B) {
	body := benchBody()
	b.SetBytes(int64(body.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := io.Copy(io.Discard, body.Reader()); err != nil {
			b.Fatal(err)
		}
	}
}
