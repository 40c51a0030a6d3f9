package inputs

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image"
	"strings"
	"testing"
)

// Image edit forms are AIPerf's ImageEditEndpoint payload
// (openai_image_edit.py): prompt (the first text), model, response_format,
// n, the first image as a file part named image, then the extras (the
// reserved prompt, image, url and mask dropped); inputs.json shows the image
// as {"filename", "content_type", "b64_data"} in its place.
func TestImageEditForm(t *testing.T) {
	cases := []struct {
		name     string
		args     []string
		order    string // the fields, in order
		filename string
		want     map[string]string
	}{
		{"png", []string{"--image-format", "png"}, "prompt,model,response_format,n", "image.png", map[string]string{"n": "1", "response_format": "b64_json"}},
		{"jpeg and extras", []string{"--image-format", "jpeg", "--extra-inputs", `{"size":"64x64","n":2,"prompt":"x","mask":"m","strength":0.5}`},
			"prompt,model,response_format,n,size,strength", "image.jpg", map[string]string{"n": "2", "size": "64x64", "strength": "0.5"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := []string{"-m", "flux", "--endpoint-type", "image_edit", "--isl", "6", "--num-dataset-entries", "2",
				"--image-width-mean", "24", "--image-height-mean", "16", "--image-batch-size", "2"}
			for _, tr := range firstTurns(t, 3, args, c.args...) {
				f := readForm(t, tr)
				if got := strings.Join(f.order, ","); got != c.order {
					t.Fatalf("fields %s, want %s", got, c.order)
				}
				if f.fileName != "image" || f.fileAt != 4 || f.filename != c.filename {
					t.Fatalf("file part %q %q after %d fields; want image %s after 4", f.fileName, f.filename, f.fileAt, c.filename)
				}
				img, format, err := image.DecodeConfig(bytes.NewReader(f.file))
				if err != nil || f.fileType != "image/"+format || img.Width != 24 || img.Height != 16 {
					t.Fatalf("file %s: %s %dx%d (%v)", f.fileType, format, img.Width, img.Height, err)
				}
				if len(strings.Fields(f.fields["prompt"])) != 6 || f.fields["model"] != "flux" {
					t.Fatalf("prompt %q, model %q", f.fields["prompt"], f.fields["model"])
				}
				for k, v := range c.want {
					if f.fields[k] != v {
						t.Errorf("%s = %q, want %q", k, f.fields[k], v)
					}
				}
				if tr.Images != 1 {
					t.Errorf("num_images %d, want 1: the form carries one image", tr.Images)
				}
				var view map[string]json.RawMessage
				if err := json.Unmarshal(tr.Inputs.Bytes(), &view); err != nil {
					t.Fatalf("inputs view: %v: %s", err, tr.Inputs.Bytes())
				}
				var file struct {
					Filename    string `json:"filename"`
					ContentType string `json:"content_type"`
					B64Data     string `json:"b64_data"`
				}
				if err := json.Unmarshal(view["image"], &file); err != nil {
					t.Fatal(err)
				}
				if raw, _ := base64.StdEncoding.DecodeString(file.B64Data); !bytes.Equal(raw, f.file) || file.Filename != c.filename {
					t.Fatal("inputs view does not carry the image")
				}
				if got := keysOf(t, tr.Inputs.Bytes()); got != "prompt,model,response_format,n,image"+strings.TrimPrefix(c.order, "prompt,model,response_format,n") {
					t.Errorf("inputs view keys %s", got)
				}
			}
		})
	}
}

// An http(s) image goes as SGLang's url field; a line without an image, or
// without a prompt, is one line naming it.
func TestImageEditLinksAndRefusals(t *testing.T) {
	link := writeLines(t, `{"text": "make it blue", "image": "https://example.invalid/a.png"}`)
	d := build(t, 1, "-m", "x", "--endpoint-type", "image_edit", "--input-file", link, "--custom-dataset-type", "single_turn")
	f := readForm(t, d.Conversations[0].Turns[0])
	if f.fields["url"] != "https://example.invalid/a.png" || f.file != nil || f.fields["prompt"] != "make it blue" {
		t.Fatalf("form %v, %d file bytes; want the link as url", f.fields, len(f.file))
	}
	wantRefusals(t, []string{"-m", "x", "--endpoint-type", "image_edit"}, []refusal{
		{[]string{"--isl", "5"}, "image_edit needs an image to edit"},
		{[]string{"--input-file", writeLines(t, `{"image": "https://example.invalid/a.png"}`), "--custom-dataset-type", "single_turn"}, "image_edit needs a text prompt"},
	})
}
