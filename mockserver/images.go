package mockserver

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
)

// mockImage is the one small PNG the mock answers every image request with,
// base64 as the Images API's b64_json carries it.
var mockImage = sync.OnceValue(func() string {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range img.Pix {
		img.Pix[i] = 0x80
	}
	img.Set(0, 0, color.RGBA{R: 0xff, A: 0xff})
	var b bytes.Buffer
	_ = png.Encode(&b, img) // an in-memory RGBA image always encodes
	return base64.StdEncoding.EncodeToString(b.Bytes())
})

// imageRequest is the part of an Images API body the mock reads.
type imageRequest struct {
	modelStream
	Prompt         *string `json:"prompt"`
	N              *int    `json:"n"`
	ResponseFormat string  `json:"response_format"`
	PartialImages  int     `json:"partial_images"`
}

// check refuses what the servers refuse: no prompt, n out of OpenAI's 1..10,
// partial_images out of 0..3, a response_format other than b64_json or url.
func (q imageRequest) check() error {
	switch {
	case q.Prompt == nil || *q.Prompt == "":
		return invalid("prompt is required")
	case q.N != nil && (*q.N < 1 || *q.N > 10):
		return invalid("n must be between 1 and 10, got %d", *q.N)
	case q.PartialImages < 0 || q.PartialImages > 3:
		return invalid("partial_images must be between 0 and 3, got %d", q.PartialImages)
	case q.ResponseFormat != "" && q.ResponseFormat != "b64_json" && q.ResponseFormat != "url":
		return invalid("response_format must be b64_json or url, got %s", clip.Quote(q.ResponseFormat))
	}
	return nil
}

// images is how many images the request asks for (n, default 1).
func (q imageRequest) images() int {
	if q.N == nil {
		return 1
	}
	return *q.N
}

// handleImageGeneration serves POST /v1/images/generations as SGLang's
// diffusion server (python/sglang/multimodal_gen/runtime/entrypoints/openai/image_api.py) and
// OpenAI do: {"created", "data": [{"b64_json"}...]} after the TTFT; with
// stream, OpenAI's image_generation.partial_image events (partial_images of
// them) then image_generation.completed with usage, no [DONE], one event per
// ITL.
func (s *Server) handleImageGeneration(w http.ResponseWriter, r *http.Request) {
	arrival, cfg, tr := s.begin(w, r, "image_generation")
	defer s.finish(tr)
	var req imageRequest
	err := readModelRequest(w, r, cfg, tr, &req)
	if err == nil {
		err = req.check()
	}
	if err != nil {
		s.reject(w, err, tr)
		return
	}
	words := len(strings.Fields(*req.Prompt))
	tr.PromptTokens, tr.Inputs = words, req.images()
	e := imageEvents{prefix: "image_generation", partial: req.PartialImages, words: words, images: req.images()}
	if !req.Stream { // at the TTFT, whatever partial_images asks
		s.respondResults(w, r, cfg, arrival, 0, tr, words, e.whole())
		return
	}
	steps := make([]string, req.PartialImages+1) // one event each
	s.reply(w, r, steps, true, e, streamOpts{cfg: cfg, arrival: arrival}, tr)
}

// imagesBody is a whole Images API answer of n images.
func imagesBody(n int) map[string]any {
	data := make([]map[string]string, n)
	for i := range data {
		data[i] = map[string]string{"b64_json": mockImage()}
	}
	return map[string]any{"created": time.Now().Unix(), "data": data}
}

// imageEvents are OpenAI's streamed image events: partial images, then the
// completed image with usage.
type imageEvents struct {
	prefix                 string // image_generation or image_edit
	partial, words, images int
}

func (imageEvents) head(sse) {}

func (e imageEvents) token(ev sse, i int, _ string) {
	v := map[string]any{"b64_json": mockImage(), "created_at": time.Now().Unix(), "size": "8x8",
		"quality": "low", "background": "opaque", "output_format": "png"}
	typ := e.prefix + ".partial_image"
	if i < e.partial {
		v["partial_image_index"] = i
	} else {
		typ = e.prefix + ".completed"
		v["usage"] = map[string]any{"input_tokens": e.words, "output_tokens": 16, "total_tokens": e.words + 16,
			"input_tokens_details": map[string]int{"text_tokens": e.words, "image_tokens": 0}}
	}
	v["type"] = typ
	b, _ := json.Marshal(v)
	ev.event(typ, b)
}

func (imageEvents) tail(sse) {}

func (e imageEvents) whole() any { return imagesBody(e.images) }

// handleImageEdit serves POST /v1/images/edits as SGLang's diffusion server
// (python/sglang/multimodal_gen/runtime/entrypoints/openai/image_api.py) does:
// a multipart form with prompt and an image file (or SGLang's url field),
// answered as image generation is; never streamed. It records each image's
// format and size.
func (s *Server) handleImageEdit(w http.ResponseWriter, r *http.Request) {
	arrival, cfg, tr := s.begin(w, r, "image_edit")
	defer s.finish(tr)
	n, err := s.parseImageEdit(w, r, cfg, tr)
	if err != nil {
		s.reject(w, err, tr)
		return
	}
	s.respondResults(w, r, cfg, arrival, 0, tr, tr.PromptTokens, imagesBody(n))
}

// parseImageEdit reads and checks an image edit form; n is the images asked.
func (s *Server) parseImageEdit(w http.ResponseWriter, r *http.Request, cfg Config, tr *Truth) (n int, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	if err := r.ParseMultipartForm(maxBodyBytes); err != nil {
		return 0, invalid("bad multipart form: %v", err)
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	tr.Model = r.FormValue("model")
	req := imageRequest{modelStream: modelStream{Model: tr.Model}, ResponseFormat: r.FormValue("response_format")}
	if p := r.FormValue("prompt"); p != "" {
		req.Prompt = &p
	}
	if v := r.FormValue("n"); v != "" {
		k, err := strconv.Atoi(v)
		if err != nil {
			return 0, invalid("n is not an integer: %s", clip.Quote(v))
		}
		req.N = &k
	}
	if err := req.check(); err != nil {
		return 0, err
	}
	if err := checkModel(cfg, tr.Model); err != nil {
		return 0, err
	}
	tr.PromptTokens, tr.Inputs = len(strings.Fields(*req.Prompt)), req.images()
	files := r.MultipartForm.File["image"]
	if len(files) == 0 {
		if r.FormValue("url") == "" {
			return 0, invalid("image (a file) or url is required")
		}
		tr.Images = append(tr.Images, "url")
	}
	for _, fh := range files {
		f, err := fh.Open()
		if err != nil {
			return 0, invalid("image: %v", err)
		}
		cfg, format, err := image.DecodeConfig(f)
		_ = f.Close()
		if err != nil {
			return 0, invalid("image is not an image: %v", err)
		}
		if want := "image/" + format; fh.Header.Get("Content-Type") != want {
			return 0, invalid("image part says %s, holds %s", fh.Header.Get("Content-Type"), want)
		}
		tr.Images = append(tr.Images, fmt.Sprintf("%s %dx%d", format, cfg.Width, cfg.Height))
	}
	return req.images(), nil
}
