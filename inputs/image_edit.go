package inputs

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// imageEditReserved are the form keys AIPerf's ImageEditEndpoint keeps from
// --extra-inputs and per-line extras (src/aiperf/endpoints/openai_image_edit.py).
var imageEditReserved = []string{"prompt", "image", "url", "mask"}

// imageMIMEBySniff is the MIME type a raw base64 image's first characters
// imply, as AIPerf sniffs an image that comes without a data: header.
var imageMIMEBySniff = []struct{ prefix, mime string }{
	{"iVBORw0KGgo", "image/png"},
	{"/9j/", "image/jpeg"},
	{"R0lGODlh", "image/gif"},
	{"R0lGODdh", "image/gif"},
	{"UklGR", "image/webp"},
	{"Qk", "image/bmp"},
}

// checkImageEdit says why a turn cannot be one image edit form: it needs a
// text prompt and an image, and one turn per request.
func checkImageEdit(ts turnSpec) error {
	if err := checkPromptTurn("image_edit", ts); err != nil {
		return err
	}
	switch {
	case len(ts.msg.Images) == 0:
		return errors.New("image_edit needs an image to edit, this turn has none (set --image-batch-size, --image-width-mean and --image-height-mean, or give lines an image)")
	case len(ts.msg.Audios) > 0 || len(ts.msg.Videos) > 0:
		return errors.New("image_edit sends a text and an image only, this turn has audio or video")
	}
	return nil
}

// newImageEdit lays out AIPerf's ImageEditEndpoint form: prompt (the first
// text), model, response_format b64_json, n 1, the first image as a file
// part (or, an http(s) link, as the url field SGLang reads), then the extras
// but the reserved keys.
func (b *builder) newImageEdit(ts turnSpec, model string, extra []field) (formRequest, error) {
	err := checkImageEdit(ts)
	prompt := ""
	if texts := nonEmpty(ts.msg.Texts); len(texts) > 0 {
		prompt = texts[0]
	}
	r := formRequest{fields: []formField{{"prompt", prompt}, {"model", model}, {"response_format", "b64_json"}, {"n", "1"}}}
	r.fileAt = len(r.fields)
	if len(ts.msg.Images) > 0 {
		var url string
		if json.Unmarshal(ts.msg.Images[0].JSON, &url) != nil {
			return r, errors.New("image_edit: an image URL is not a JSON string") // never: urlRef encodes a string
		}
		if lower := strings.ToLower(url); strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") {
			r.fields = append(r.fields, formField{"url", url})
		} else {
			f, ferr := b.editImage(ts.msg.Images[0], url)
			if err == nil {
				err = ferr
			}
			r.file = f
		}
	}
	r.fields = withFormExtra(r.fields, extra, imageEditReserved)
	return r, err
}

// editImage decodes an image (a data: URL or raw base64) into its file part,
// once per image however many turns send it.
func (b *builder) editImage(ref *urlRef, url string) (*formFile, error) {
	if f, ok := b.editImages[ref]; ok {
		return f, nil
	}
	f, err := imageFormFile(url)
	if err != nil {
		return nil, err
	}
	if b.editImages == nil {
		b.editImages = map[*urlRef]*formFile{}
	}
	b.editImages[ref] = f
	return f, nil
}

// imageFormFile is AIPerf's _build_image_field: the MIME type from an
// image/* data: header, else sniffed from the base64; file name image.<ext>.
func imageFormFile(content string) (*formFile, error) {
	b64, mime := content, ""
	if rest, ok := strings.CutPrefix(content, "data:"); ok {
		header, data, found := strings.Cut(rest, ",")
		if !found {
			return nil, errors.New("image data URL has no comma")
		}
		b64 = data
		if m, _, _ := strings.Cut(header, ";"); strings.HasPrefix(m, "image/") {
			mime = m
		}
	}
	if mime == "" {
		for _, s := range imageMIMEBySniff {
			if strings.HasPrefix(b64, s.prefix) {
				mime = s.mime
				break
			}
		}
	}
	if mime == "" {
		return nil, errors.New("image is not a recognized format; want a data URL or raw base64 PNG/JPEG/WebP/GIF/BMP")
	}
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, fmt.Errorf("image is not valid base64: %w", err)
	}
	ext, _, _ := strings.Cut(strings.TrimPrefix(mime, "image/"), "+")
	if ext == "jpeg" {
		ext = "jpg"
	}
	return &formFile{field: "image", filename: "image." + ext, contentType: mime,
		data: data, base64: []byte(b64), dataKey: "b64_data"}, nil
}
