package inputs

import (
	"encoding/json"
	"math/rand"
	"regexp"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// imgTag is AIPerf's NIM embeddings image input: an <img> tag around a data URL.
var imgTag = regexp.MustCompile(`^<img src='data:image/(png|jpeg);base64,[A-Za-z0-9+/=]+'/>$`)

// NIM embeddings bodies are AIPerf's NIMEmbeddingsEndpoint payload
// (src/aiperf/endpoints/nim_embeddings.py): model, then input, where a text
// and the image at its place make "text <img src='URL'/>", an image alone
// "<img src='URL'/>", and texts alone stay as they are.
func TestNIMEmbeddingsBody(t *testing.T) {
	image := []string{"--image-width-mean", "8", "--image-height-mean", "8", "--image-format", "png"}
	cases := []struct {
		name  string
		args  []string
		words int // words of each input's text, before any tag
		tags  bool
	}{
		{"texts", []string{"--isl", "4", "-b", "2"}, 4, false},
		{"pairs", append([]string{"--isl", "3", "-b", "2", "--image-batch-size", "2"}, image...), 3, true},
		{"images alone", append([]string{"--isl", "0", "--image-batch-size", "2"}, image...), 0, true},
	}
	for _, c := range cases {
		args := append([]string{"-m", "nv-embed", "--endpoint-type", "nim_embeddings", "--num-dataset-entries", "2"}, c.args...)
		d := build(t, 7, args...)
		for _, conv := range d.Conversations {
			body := conv.Turns[0].Body.Bytes()
			if got := keysOf(t, body); got != "model,input" {
				t.Fatalf("%s: keys %s, want model,input", c.name, got)
			}
			var b struct{ Input []string }
			if err := json.Unmarshal(body, &b); err != nil || len(b.Input) != 2 {
				t.Fatalf("%s: input %q (%v), want 2", c.name, b.Input, err)
			}
			for _, in := range b.Input {
				text, tag := in, ""
				if i := strings.Index(in, "<img "); i >= 0 {
					text, tag = strings.TrimSuffix(in[:i], " "), in[i:]
				}
				if (tag != "") != c.tags || (c.tags && !imgTag.MatchString(tag)) {
					t.Errorf("%s: input %.60q...: want an image tag %v", c.name, in, c.tags)
				}
				if n := len(strings.Fields(text)); n != c.words {
					t.Errorf("%s: text %q has %d words, want %d", c.name, text, n, c.words)
				}
				if c.words > 0 && c.tags && !strings.HasPrefix(in, text+" <img src='") {
					t.Errorf("%s: %.60q: want text, one space, then the tag", c.name, in)
				}
			}
		}
	}
}

// With both, texts and images are embedded in pairs: unequal counts are
// refused in one line, as AIPerf raises for them; other embeddings types
// still refuse images.
func TestEmbeddingsImageRefusals(t *testing.T) {
	image := []string{"--image-width-mean", "8", "--image-height-mean", "8"}
	cases := []struct {
		args []string
		want string
	}{
		{append([]string{"--endpoint-type", "nim_embeddings", "-b", "2", "--image-batch-size", "1"}, image...), "2 text(s) and 1 image(s)"},
		{append([]string{"--endpoint-type", "embeddings", "--image-batch-size", "1"}, image...), "embeddings sends text only, this turn has 1 image(s)"},
	}
	for _, c := range cases {
		args := append([]string{"-m", "x", "--isl", "3"}, c.args...)
		_, err := Build(opts(t, args...), tokens.Words{}, rand.New(rand.NewSource(1)))
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: error %v, want one line containing %q", c.args, err, c.want)
		}
	}
}
