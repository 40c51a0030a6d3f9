package probe

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/endpoint"
	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
	"github.com/aiperf-exporter/aiperf-exporter/internal/redact"
)

// Readiness is the wait for the model before the first request
// (--wait-for-model-timeout, --wait-for-model-mode, --wait-for-model-interval):
// a server still loading weights would otherwise turn the run's first requests
// into errors.
type Readiness struct {
	Timeout  time.Duration // 0: do not wait
	Interval time.Duration // between checks of one target
	// Mode is "models" (GET /v1/models lists every model), "inference" (a
	// one-token request answers 2xx), "both" (models, then inference) or
	// "health" (GET /health answers 2xx; ours).
	Mode string
	// Models must all be listed; the inference check asks for the first.
	Models []string
	// EndpointPath is trimmed off a target's URL to find /v1/models and /health.
	EndpointPath string
	// Body and ContentType are the inference check's request.
	Body        []byte
	ContentType string
	// RefusedIsReady makes a refusal of the request as invalid (400 or 422)
	// pass the inference check, besides a 2xx: video_generation's check sends
	// no prompt, so a live server refuses it without starting a job. A wrong
	// path or key (401, 403, 404) still fails. readyRequest sets it.
	RefusedIsReady bool
}

// waitReady checks every target at once until each is ready, or returns the
// first not ready after the timeout: one line naming its URL and the timeout.
func waitReady(ctx context.Context, client *http.Client, header http.Header, targets []Target, r Readiness) error {
	if r.Timeout <= 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	errs := make(chan error, len(targets))
	for _, t := range targets {
		go func() { errs <- waitTarget(ctx, client, header, t, r) }()
	}
	var first error
	for range targets {
		if err := <-errs; err != nil && first == nil {
			first = err
			cancel() // the run will not start: stop checking the others
		}
	}
	return first
}

// waitTarget checks one target every Interval until a check passes or ctx ends.
// The error reported is the last check's that the deadline did not cut short.
func waitTarget(ctx context.Context, client *http.Client, header http.Header, t Target, r Readiness) error {
	var u string
	var last error
	for {
		at, err := checkReady(ctx, client, header, t, r)
		if err == nil {
			return nil
		}
		if ctx.Err() == nil || last == nil {
			u, last = at, err
		}
		if !sleepCtx(ctx, r.Interval) {
			if parent := context.Cause(ctx); parent != context.DeadlineExceeded {
				return parent
			}
			return fmt.Errorf("model not ready at %s after --wait-for-model-timeout %v: %v", redact.URL(u), r.Timeout, last)
		}
	}
}

// checkReady runs the mode's checks once; it returns the URL last checked.
func checkReady(ctx context.Context, client *http.Client, header http.Header, t Target, r Readiness) (string, error) {
	base := strings.TrimSuffix(t.URL, r.EndpointPath)
	if base == t.URL { // a URL that does not end in the path: its origin
		if u, err := url.Parse(t.URL); err == nil {
			base = u.Scheme + "://" + u.Host
		}
	}
	switch r.Mode {
	case "health":
		u := base + "/health"
		_, err := get(ctx, client, header, u)
		return u, err
	case "models", "both":
		u := base + "/v1/models"
		body, err := get(ctx, client, header, u)
		if err == nil {
			err = listsModels(body, r.Models)
		}
		if err != nil || r.Mode == "models" {
			return u, err
		}
	}
	err := post(ctx, client, header, t.URL, r.Body, r.ContentType)
	var se *statusError
	if r.RefusedIsReady && errors.As(err, &se) && (se.code == http.StatusBadRequest || se.code == http.StatusUnprocessableEntity) {
		err = nil // the server is up and refused the job it was never meant to start
	}
	return t.URL, err
}

func get(ctx context.Context, client *http.Client, header http.Header, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	return do(client, header, req)
}

func post(ctx context.Context, client *http.Client, header http.Header, u string, body []byte, contentType string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", contentType)
	_, err = do(client, header, req)
	return err
}

// maxReadyBody bounds a readiness answer read (the model list).
const maxReadyBody = 1 << 20

// do sends req with the run's headers (authorization included) and returns a
// 2xx answer's body (gunzipped, up to maxReadyBody: a longer one is an error),
// or an error saying what came back.
func do(client *http.Client, header http.Header, req *http.Request) ([]byte, error) {
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return nil, &statusError{code: resp.StatusCode, msg: fmt.Sprintf("HTTP %d", resp.StatusCode)}
	}
	return readDecoded(resp, maxReadyBody)
}

// listsModels checks an OpenAI model list names every model.
func listsModels(body []byte, models []string) error {
	var list struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return fmt.Errorf("the model list is not OpenAI's JSON: %v", err)
	}
	listed := map[string]bool{}
	for _, m := range list.Data {
		listed[m.ID] = true
	}
	for _, m := range models {
		if !listed[m] {
			return fmt.Errorf("model %s is not listed", clip.Quote(m))
		}
	}
	return nil
}

// readyRequest is the inference check's canned request for the endpoint
// type's body kind: one token of chat or of a completion, a one-text
// embedding or ranking, or a transcription of a tenth of a second of silence.
// A video job is never created: its check is a create request without a
// prompt, which the server refuses as invalid, so refusedIsReady says that
// refusal passes (Readiness.RefusedIsReady).
func readyRequest(endpointType, model string, legacyMaxTokens bool) (body []byte, contentType string, refusedIsReady bool) {
	t, _ := endpoint.Lookup(endpointType) // an unknown type's body is chat's
	var v any
	switch t.Body {
	case endpoint.BodyTranscription:
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		_ = w.WriteField("model", model)
		f, _ := w.CreateFormFile("file", "ready.wav")
		_, _ = f.Write(silentWAV(16000, 1600))
		_ = w.Close()
		return b.Bytes(), w.FormDataContentType(), false
	case endpoint.BodyImageEdit:
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		_ = w.WriteField("prompt", "Hi")
		_ = w.WriteField("model", model)
		_ = w.WriteField("response_format", "b64_json")
		_ = w.WriteField("n", "1")
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="image"; filename="image.png"`)
		h.Set("Content-Type", "image/png")
		f, _ := w.CreatePart(h)
		_, _ = f.Write(onePixelPNG)
		_ = w.Close()
		return b.Bytes(), w.FormDataContentType(), false
	case endpoint.BodyVideoGeneration: // no prompt: no job, however long a video takes
		body, _ = json.Marshal(map[string]any{"model": model})
		return body, "application/json", true
	case endpoint.BodyResponses: // OpenAI's floor for max_output_tokens is 16
		v = map[string]any{"model": model, "input": "Hi", "max_output_tokens": 16}
	case endpoint.BodyTGI:
		v = map[string]any{"inputs": "Hi", "parameters": map[string]int{"max_new_tokens": 1}}
	case endpoint.BodyNIMRankings:
		v = map[string]any{"model": model, "query": map[string]string{"text": "Hi"}, "passages": []map[string]string{{"text": "Hi"}}}
	case endpoint.BodyTEIRankings:
		v = map[string]any{"query": "Hi", "texts": []string{"Hi"}}
	case endpoint.BodyImageRetrieval:
		v = map[string]any{"input": []map[string]string{{"type": "image_url", "url": "data:image/png;base64," + base64.StdEncoding.EncodeToString(onePixelPNG)}}}
	case endpoint.BodyCohereRerank:
		v = map[string]any{"model": model, "query": map[string]string{"text": "Hi"}, "documents": []string{"Hi"}}
	case endpoint.BodyCohereRankings:
		v = map[string]any{"model": model, "query": "Hi", "documents": []string{"Hi"}}
	case endpoint.BodyEmbeddings, endpoint.BodyNIMEmbeddings:
		v = map[string]any{"model": model, "input": []string{"Hi"}}
	case endpoint.BodyCohereEmbed:
		v = map[string]any{"model": model, "embedding_types": []string{"float"}, "texts": []string{"Hi"}}
	case endpoint.BodyCompletions:
		v = map[string]any{"model": model, "prompt": "Hi", "max_tokens": 1}
	case endpoint.BodyTokenIDs:
		v = map[string]any{"model": model, "token_ids": []int{1}, "sampling_params": map[string]int{"max_tokens": 1}, "stream": false}
	case endpoint.BodyInputIDs:
		v = map[string]any{"input_ids": []int{1}, "sampling_params": map[string]int{"max_new_tokens": 1}, "stream": false}
	case endpoint.BodySolido:
		v = map[string]any{"query": []string{"Hi"}, "filters": map[string]string{"family": "Solido", "tool": "SDE"}, "inference_model": model}
	case endpoint.BodyMessages: // the Messages API requires max_tokens
		v = map[string]any{"model": model, "messages": []map[string]string{{"role": "user", "content": "Hi"}}, "max_tokens": 1}
	case endpoint.BodyImageGeneration:
		v = map[string]any{"model": model, "prompt": "Hi", "response_format": "b64_json", "n": 1}
	default:
		limit := "max_completion_tokens"
		if legacyMaxTokens {
			limit = "max_tokens"
		}
		v = map[string]any{"model": model, "messages": []map[string]string{{"role": "user", "content": "Hi"}}, limit: 1}
	}
	body, _ = json.Marshal(v)
	return body, "application/json", false
}

// onePixelPNG is the image of the readiness checks that send one (image_edit,
// image_retrieval).
var onePixelPNG, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")

// silentWAV is n samples of 16-bit mono silence at rate Hz.
func silentWAV(rate, n int) []byte {
	var b bytes.Buffer
	le := func(v any) { _ = binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("RIFF")
	le(uint32(36 + 2*n))
	b.WriteString("WAVEfmt ")
	le(uint32(16))
	le(uint16(1)) // PCM
	le(uint16(1)) // mono
	le(uint32(rate))
	le(uint32(2 * rate)) // bytes per second
	le(uint16(2))        // block align
	le(uint16(16))       // bits per sample
	b.WriteString("data")
	le(uint32(2 * n))
	b.Write(make([]byte, 2*n))
	return b.Bytes()
}
