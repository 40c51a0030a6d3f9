package mockserver

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"
)

// form builds a multipart transcription request.
func form(t *testing.T, file []byte, fields map[string]string) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	if file != nil {
		fw, err := w.CreateFormFile("file", "clip.wav")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(file)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.FormDataContentType(), buf.Bytes()
}

func TestTranscription(t *testing.T) {
	srv := start(t, Config{})
	url := srv.URL + "/v1/audio/transcriptions"
	_, wav := audioClip(t, "wav") // 0.2 s → round(0.5) = 1 word... at least 1

	ct, body := form(t, wav, map[string]string{"model": "whisper"})
	resp, out := postRaw(t, url, "tx", ct, body)
	var got struct{ Text string }
	if resp.StatusCode != 200 || json.Unmarshal(out, &got) != nil || got.Text != "the" {
		t.Errorf("non-stream: %d %s", resp.StatusCode, out)
	}
	if tr, _ := srv.Server.Truth("tx"); tr.Endpoint != "transcription" || len(tr.AudioSHA256) != 1 || tr.AudioSHA256[0] != sha(wav) {
		t.Errorf("truth %+v", tr)
	}

	srv.Server.Configure(Config{OutputTokens: 5})
	ct, body = form(t, wav, map[string]string{"model": "whisper", "stream": "true", "stream_include_usage": "true"})
	resp, out = postRaw(t, url, "txs", ct, body)
	events := parseSSE(t, out)
	if resp.StatusCode != 200 || len(events) != 5+3 || events[0].chunk == nil || events[0].chunk.Object != "transcription.chunk" || events[len(events)-1].raw != "[DONE]" {
		t.Fatalf("stream: %d %s", resp.StatusCode, out)
	}
	if n, text := contentOf(t, out); n != 5 || text != "the quick brown fox jumps" {
		t.Errorf("stream text %q in %d chunks", text, n)
	}
	if tr, _ := srv.Server.Truth("txs"); len(tr.ChunkNs) != 5 {
		t.Errorf("truth %+v", tr)
	}

	for name, tc := range map[string]struct {
		file   []byte
		fields map[string]string
		want   string
	}{
		"bad audio": {[]byte("not audio at all"), map[string]string{"model": "w"}, "invalid audio file: not a WAV or MP3 file"},
		"no file":   {nil, map[string]string{"model": "w"}, "file is required"},
		"no model":  {wav, nil, "model is required"},
		"truncated": {wav[:100], map[string]string{"model": "w"}, "bad WAV header"},
	} {
		ct, body := form(t, tc.file, tc.fields)
		resp, out := postRaw(t, url, "", ct, body)
		if resp.StatusCode != 400 || !strings.Contains(string(out), tc.want) {
			t.Errorf("%s: %d %s, want 400 %q", name, resp.StatusCode, out, tc.want)
		}
	}
	if resp, out := postRaw(t, url, "", "application/json", []byte(`{}`)); resp.StatusCode != 400 {
		t.Errorf("JSON body: %d %s", resp.StatusCode, out)
	}
}

// A whole (unstreamed) transcription takes the stall and drop faults as every
// other whole answer does, so its truth never records a fault that did not happen.
func TestTranscriptionWholeFaults(t *testing.T) {
	_, wav := audioClip(t, "wav")
	for _, tc := range []struct {
		name    string
		faults  Faults
		dropped bool
		atLeast time.Duration
	}{
		{"drop", Faults{DropMidStream: 1}, true, 0},
		{"stall", Faults{Stall: 1, StallDuration: 150 * time.Millisecond}, false, 150 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := start(t, Config{Faults: tc.faults})
			ct, body := form(t, wav, map[string]string{"model": "whisper"})
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/v1/audio/transcriptions", bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", ct)
			req.Header.Set("X-Request-ID", "tw")
			start := time.Now()
			resp, err := http.DefaultClient.Do(req)
			elapsed := time.Since(start)
			if err == nil {
				_, _ = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			tr, _ := srv.Server.Truth("tw")
			if tc.dropped {
				if err == nil || tr.Error != "fault: connection dropped" || tr.Status != 0 {
					t.Fatalf("want a dropped connection: err %v, truth %+v", err, tr)
				}
				return
			}
			if err != nil || resp.StatusCode != 200 || elapsed < tc.atLeast || tr.Error != "" {
				t.Fatalf("err %v, after %v (want at least %v), truth %+v", err, elapsed, tc.atLeast, tr)
			}
		})
	}
}
