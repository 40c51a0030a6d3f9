package inputs

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
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

// Cohere embeddings bodies are AIPerf's CohereEmbeddingsEndpoint payload
// (src/aiperf/endpoints/cohere_embeddings.py): model, embedding_types
// ["float"], then texts; with images, inputs of {"content": [text part,
// image_url part]} pairs, or the image part alone; then the extras.
func TestCohereEmbeddingsBody(t *testing.T) {
	image := []string{"--image-width-mean", "8", "--image-height-mean", "8", "--image-format", "png"}
	cases := []struct {
		name  string
		args  []string
		keys  string
		parts string // each input's part types, for inputs
	}{
		{"texts", []string{"--isl", "4", "-b", "2", "--extra-inputs", "input_type:search_document"}, "model,embedding_types,texts,input_type", ""},
		{"pairs", append([]string{"--isl", "3", "-b", "2", "--image-batch-size", "2"}, image...), "model,embedding_types,inputs", "text,image_url"},
		{"images alone", append([]string{"--isl", "0", "--image-batch-size", "2"}, image...), "model,embedding_types,inputs", "image_url"},
	}
	for _, c := range cases {
		args := append([]string{"-m", "embed-v4.0", "--endpoint-type", "cohere_embeddings", "--num-dataset-entries", "2"}, c.args...)
		d := build(t, 7, args...)
		for _, conv := range d.Conversations {
			body := conv.Turns[0].Body.Bytes()
			if got := keysOf(t, body); got != c.keys {
				t.Fatalf("%s: keys %s, want %s", c.name, got, c.keys)
			}
			var b struct {
				EmbeddingTypes []string `json:"embedding_types"`
				Texts          []string
				Inputs         []struct {
					Content []struct {
						Type     string
						Text     string
						ImageURL struct{ URL string } `json:"image_url"`
					}
				}
			}
			if err := json.Unmarshal(body, &b); err != nil || len(b.EmbeddingTypes) != 1 || b.EmbeddingTypes[0] != "float" {
				t.Fatalf("%s: %s (%v)", c.name, body[:min(len(body), 120)], err)
			}
			if c.parts == "" {
				if len(b.Texts) != 2 || len(strings.Fields(b.Texts[0])) != 4 {
					t.Errorf("%s: texts %q, want 2 of 4 words", c.name, b.Texts)
				}
				continue
			}
			if len(b.Inputs) != 2 {
				t.Fatalf("%s: %d inputs, want 2", c.name, len(b.Inputs))
			}
			for _, in := range b.Inputs {
				var types []string
				for _, p := range in.Content {
					types = append(types, p.Type)
					if p.Type == "image_url" && !strings.HasPrefix(p.ImageURL.URL, "data:image/png;base64,") {
						t.Errorf("%s: image part %.50q", c.name, p.ImageURL.URL)
					}
					if p.Type == "text" && len(strings.Fields(p.Text)) != 3 {
						t.Errorf("%s: text part %q, want 3 words", c.name, p.Text)
					}
				}
				if got := strings.Join(types, ","); got != c.parts {
					t.Errorf("%s: parts %s, want %s", c.name, got, c.parts)
				}
			}
		}
	}
}

// Chat embeddings bodies are chat's, as AIPerf's ChatEmbeddingsEndpoint
// (src/aiperf/endpoints/chat_embeddings.py) is its ChatEndpoint with another
// reply reader: the same messages, images included, never streamed.
func TestChatEmbeddingsBodyIsChats(t *testing.T) {
	args := []string{"-m", "vlm2vec", "--isl", "5", "--num-dataset-entries", "3",
		"--image-batch-size", "1", "--image-width-mean", "8", "--image-height-mean", "8"}
	chat := build(t, 9, append(args, "--endpoint-type", "chat")...)
	embed := build(t, 9, append(args, "--endpoint-type", "chat_embeddings")...)
	for i, conv := range embed.Conversations {
		got, want := conv.Turns[0].Body.Bytes(), chat.Conversations[i].Turns[0].Body.Bytes()
		if string(got) != string(want) {
			t.Fatalf("entry %d: chat_embeddings body\n%.200s\nis not chat's\n%.200s", i, got, want)
		}
		var b chatBody
		if err := json.Unmarshal(got, &b); err != nil || len(b.Messages) != 1 || !strings.Contains(string(b.Messages[0].Content), `"image_url"`) {
			t.Errorf("entry %d: %.200s (%v): want one message with an image part", i, got, err)
		}
	}
}

// Image retrieval bodies are AIPerf's ImageRetrievalEndpoint payload
// (src/aiperf/endpoints/nim_image_retrieval.py): input, one {"type":
// "image_url", "url"} an image, no model, no texts; then the extras.
func TestImageRetrievalBody(t *testing.T) {
	d := build(t, 3, "-m", "page-elements", "--endpoint-type", "image_retrieval", "--num-dataset-entries", "2", "--isl", "5",
		"--image-batch-size", "3", "--image-width-mean", "8", "--image-height-mean", "8", "--image-format", "png", "--extra-inputs", "threshold:0.5")
	for _, conv := range d.Conversations {
		body := conv.Turns[0].Body.Bytes()
		if got := keysOf(t, body); got != "input,threshold" {
			t.Fatalf("keys %s, want input,threshold", got)
		}
		var b struct{ Input []map[string]string }
		if err := json.Unmarshal(body, &b); err != nil || len(b.Input) != 3 {
			t.Fatalf("input %.100q (%v), want 3 images", b.Input, err)
		}
		for _, in := range b.Input {
			if len(in) != 2 || in["type"] != "image_url" || !strings.HasPrefix(in["url"], "data:image/png;base64,") {
				t.Errorf("input item %.80q: want only type image_url and a PNG data URL", in)
			}
		}
	}
}
