package mockserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The Images and Videos APIs refuse what the servers refuse, with their
// status codes, and a video job reads completed once its TTFT has passed.
func TestMediaGenerationAnswers(t *testing.T) {
	srv := httptest.NewServer(New(Config{TTFT: 30 * time.Millisecond}, nil))
	defer srv.Close()
	form := func(fields map[string]string, file string, data []byte) (io.Reader, string) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		for k, v := range fields {
			_ = w.WriteField(k, v)
		}
		if file != "" {
			f, _ := w.CreateFormFile("image", file)
			_, _ = f.Write(data)
		}
		_ = w.Close()
		return &b, w.FormDataContentType()
	}
	post := func(path, contentType string, body io.Reader) (int, string) {
		resp, err := http.Post(srv.URL+path, contentType, body)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	get := func(path string) (int, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	cases := []struct {
		name   string
		do     func() (int, string)
		status int
		want   string
	}{
		{"image: n out of range", func() (int, string) {
			return post("/v1/images/generations", "application/json", strings.NewReader(`{"prompt":"a cat","model":"m","n":11}`))
		}, 400, "n must be between 1 and 10"},
		{"image: no prompt", func() (int, string) {
			return post("/v1/images/generations", "application/json", strings.NewReader(`{"model":"m"}`))
		}, 400, "prompt is required"},
		{"image: whole answer", func() (int, string) {
			return post("/v1/images/generations", "application/json", strings.NewReader(`{"prompt":"a cat","model":"m","n":2}`))
		}, 200, `"b64_json":"iVBORw0KGgo`},
		{"edit: not an image", func() (int, string) {
			body, ct := form(map[string]string{"prompt": "blue", "model": "m"}, "image.png", []byte("not a png"))
			return post("/v1/images/edits", ct, body)
		}, 400, "image is not an image"},
		{"edit: no image", func() (int, string) {
			body, ct := form(map[string]string{"prompt": "blue", "model": "m"}, "", nil)
			return post("/v1/images/edits", ct, body)
		}, 400, "image (a file) or url is required"},
		{"video: unknown job", func() (int, string) { return get("/v1/videos/nope") }, 404, "not found"},
		{"video: a long unknown id is cut in the error", func() (int, string) {
			return get("/v1/videos/" + strings.Repeat("v", 5000))
		}, 404, `(5000 bytes) not found`},
		{"image: a long response_format is cut in the error", func() (int, string) {
			return post("/v1/images/generations", "application/json", strings.NewReader(`{"prompt":"a cat","model":"m","response_format":"`+strings.Repeat("f", 5000)+`"}`))
		}, 400, `(5000 bytes)`},
		{"video: a job queued, its content not ready, then completed", func() (int, string) {
			body, ct := form(map[string]string{"prompt": "waves", "model": "m"}, "", nil)
			code, b := post("/v1/videos", ct, body)
			var job struct{ ID, Status string }
			if err := json.Unmarshal([]byte(b), &job); code != 200 || err != nil || job.Status != "queued" {
				return code, b
			}
			if code, b := get("/v1/videos/" + job.ID + "/content"); code != 400 || !strings.Contains(b, "not completed yet") {
				return code, b
			}
			time.Sleep(40 * time.Millisecond) // past the TTFT; no upper bound on the wait
			return get("/v1/videos/" + job.ID)
		}, 200, `"status":"completed"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, body := c.do()
			if code != c.status || !strings.Contains(body, c.want) {
				t.Fatalf("HTTP %d %s; want %d with %q", code, body, c.status, c.want)
			}
		})
	}
}

// The mock keeps its last videoJobCapacity jobs, however fast they come.
func TestVideoJobsBounded(t *testing.T) {
	var v videoJobs
	for i := range videoJobCapacity + 10 {
		v.add(&videoJob{id: fmt.Sprint("j", i), done: time.Now()})
	}
	if len(v.byID) != videoJobCapacity || len(v.order) != videoJobCapacity {
		t.Fatalf("%d jobs held (%d in order), want %d", len(v.byID), len(v.order), videoJobCapacity)
	}
	if _, ok := v.get("j9"); ok {
		t.Error("the 10th job is still held")
	}
	if _, ok := v.get(fmt.Sprint("j", videoJobCapacity+9)); !ok {
		t.Error("the newest job is gone")
	}
}
