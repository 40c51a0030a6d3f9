package mockserver

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/jpeg"
	"image/png"
	"net/http"
	"strings"
	"testing"
)

// mediaBody is a chat body with one text part and the given media parts.
func mediaBody(parts ...map[string]any) string {
	content := []map[string]any{{"type": "text", "text": "describe"}}
	content = append(content, parts...)
	b, _ := json.Marshal(map[string]any{"model": "m", "messages": []map[string]any{{"role": "user", "content": content}}})
	return string(b)
}

func imagePart(url string) map[string]any {
	return map[string]any{"type": "image_url", "image_url": map[string]any{"url": url}}
}

// withUUID gives an image part vLLM's multimodal cache id.
func withUUID(part map[string]any, uuid string) map[string]any {
	part["uuid"] = uuid
	return part
}

func videoPart(url string) map[string]any {
	return map[string]any{"type": "video_url", "video_url": map[string]any{"url": url}}
}

// encoded is a w x h image in the format, base64.
func encoded(t *testing.T, format string, w, h int) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	var buf bytes.Buffer
	var err error
	if format == "png" {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

func TestChatMediaAccepted(t *testing.T) {
	srv := start(t, Config{OutputTokens: 2})
	webm := b64([]byte{0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81})
	mp4 := b64([]byte("\x00\x00\x00\x18ftypisom"))
	body := mediaBody(
		imagePart("data:image/png;base64,"+encoded(t, "png", 3, 2)),
		imagePart("data:image/jpeg;base64,"+encoded(t, "jpeg", 16, 8)),
		withUUID(imagePart("https://example.invalid/cat.png"), "cat-1"),
		withUUID(imagePart(""), "cat-1"), // vLLM's cached image, sent just before
		videoPart("data:video/webm;base64,"+webm),
		videoPart("data:video/mp4;base64,"+mp4),
	)
	resp, out := postRaw(t, srv.URL+"/v1/chat/completions", "media", "application/json", []byte(body))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, out)
	}
	tr, _ := srv.Server.Truth("media")
	if got := strings.Join(tr.Images, ","); got != "png 3x2,jpeg 16x8,url,uuid cat-1" {
		t.Errorf("truth images %q", got)
	}
	if got := strings.Join(tr.Videos, ","); got != "webm,mp4" {
		t.Errorf("truth videos %q", got)
	}
}

func TestChatMediaRejected(t *testing.T) {
	png := encoded(t, "png", 2, 2)
	for _, tc := range []struct {
		name, body, msg string
	}{
		{"image part without image_url", mediaBody(map[string]any{"type": "image_url"}), "image_url part without image_url"},
		{"video part without video_url", mediaBody(map[string]any{"type": "video_url"}), "video_url part without video_url"},
		{"image not a data URL", mediaBody(imagePart("file:///etc/passwd")), "neither http(s) nor data:image/"},
		{"empty image url without uuid", mediaBody(imagePart("")), "neither http(s) nor data:image/"},
		{"cached image never sent", mediaBody(withUUID(imagePart(""), "dog-1")), "not in the multimodal cache"},
		{"image bad base64", mediaBody(imagePart("data:image/png;base64,!!")), "image is not valid base64"},
		{"image not an image", mediaBody(imagePart("data:image/png;base64," + b64([]byte("text")))), "invalid image"},
		{"image format lies", mediaBody(imagePart("data:image/jpeg;base64," + png)), "image says jpeg, holds png"},
		{"video not a video", mediaBody(videoPart("data:video/webm;base64," + png)), "not a webm file"},
		{"video format unknown", mediaBody(videoPart("data:video/avi;base64," + png)), "is neither webm nor mp4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := start(t, Config{})
			resp, out := postRaw(t, srv.URL+"/v1/chat/completions", "rej", "application/json", []byte(tc.body))
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(out), tc.msg) {
				t.Errorf("status %d body %s, want 400 with %q", resp.StatusCode, out, tc.msg)
			}
		})
	}
}
