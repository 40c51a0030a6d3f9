package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/mocktest"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// jsonlRecord is the part of a profile_export.jsonl line these tests read.
type jsonlRecord struct {
	Metadata struct {
		RequestID string `json:"x_request_id"`
	} `json:"metadata"`
	Metrics map[string]struct {
		Value any `json:"value"`
	} `json:"metrics"`
	Error  any `json:"error"`
	Record struct {
		InputTokens  int     `json:"input_tokens"`
		AudioSeconds float64 `json:"audio_seconds"`
		TokenSource  string  `json:"token_source"`
	} `json:"record"`
}

// metric is the record's numeric metric tag; a metric missing or not a
// number fails the test.
func (r jsonlRecord) metric(t *testing.T, tag string) float64 {
	t.Helper()
	v, ok := r.Metrics[tag].Value.(float64)
	if !ok {
		t.Fatalf("record %s: metric %s is %v, want a number", r.Metadata.RequestID, tag, r.Metrics[tag].Value)
	}
	return v
}

func readJSONL(t *testing.T, dir string) []jsonlRecord {
	t.Helper()
	return readJSONLAs[jsonlRecord](t, dir)
}

// readJSONLAs decodes each line of dir's profile_export.jsonl into a T.
func readJSONLAs[T any](t *testing.T, dir string) []T {
	t.Helper()
	return testkit.ReadJSONLines[T](t, filepath.Join(dir, report.JSONLFile))
}

// truthsOf reads dir's records, checks there are n and none failed, and
// returns them with what the mock saw of each one's request.
func truthsOf(t *testing.T, m *mockserver.Running, dir string, n int) ([]jsonlRecord, []mockserver.Truth) {
	t.Helper()
	recs := readJSONL(t, dir)
	if len(recs) != n {
		t.Fatalf("%d records, want %d", len(recs), n)
	}
	truths := make([]mockserver.Truth, len(recs))
	for i, r := range recs {
		if r.Error != nil {
			t.Fatalf("request failed: %v", r.Error)
		}
		tr, ok := m.Server.Truth(r.Metadata.RequestID)
		if !ok {
			t.Fatalf("the mock has no truth for %s", r.Metadata.RequestID)
		}
		truths[i] = tr
	}
	return recs, truths
}

// profileMock runs profile, which must succeed, against a fresh mock
// (startMock) with args after its --url, and returns the mock, the console
// and the artifact directory.
func profileMock(t *testing.T, args ...string) (m *mockserver.Running, stdout, dir string) {
	t.Helper()
	m = startMock(t)
	stdout, dir = profileOK(t, append([]string{"--url", m.URL}, args...)...)
	return m, stdout, dir
}

// profileMockRecords is profileMock for a run of n requests that must all
// succeed: it returns their records, each with what the mock saw of it.
func profileMockRecords(t *testing.T, n int, args ...string) ([]jsonlRecord, []mockserver.Truth, string) {
	t.Helper()
	m, _, dir := profileMock(t, args...)
	recs, truths := truthsOf(t, m, dir, n)
	return recs, truths, dir
}

// startMock runs the real mock server on loopback for one test.
func startMock(t *testing.T) *mockserver.Running {
	t.Helper()
	return mocktest.Start(t, mockserver.Config{TTFT: 5 * time.Millisecond, ITL: time.Millisecond, OutputTokens: 6})
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// The spec's example line, end to end: the mock must receive the WAV file's
// exact bytes, as chat input_audio and as a transcription form.
func TestSpecExampleLineReachesTheMock(t *testing.T) {
	wav, err := os.ReadFile("../../inputs/testdata/clips/a.wav")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	clip := filepath.Join(dir, "a.wav")
	if err := os.WriteFile(clip, wav, 0o644); err != nil {
		t.Fatal(err)
	}
	line, _ := json.Marshal(map[string][]string{"texts": {"Transcribe this."}, "audios": {clip}})
	file := filepath.Join(dir, "asr.jsonl")
	if err := os.WriteFile(file, append(line, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		endpoint, truthEndpoint string
	}{
		{"chat", "chat"},
		{"audio_transcription", "transcription"},
	}
	for _, c := range cases {
		t.Run(c.endpoint, func(t *testing.T) {
			recs, truths, _ := profileMockRecords(t, 3, "--model", "whisper", "--endpoint-type", c.endpoint,
				"--input-file", file, "--streaming", "--request-count", "3", "--concurrency", "1")
			for i, r := range recs {
				tr := truths[i]
				if tr.Endpoint != c.truthEndpoint || len(tr.AudioSHA256) != 1 || tr.AudioSHA256[0] != sha256Hex(wav) {
					t.Fatalf("mock got endpoint %q, audio %v; want the file's sha256 %s", tr.Endpoint, tr.AudioSHA256, sha256Hex(wav))
				}
				if r.Record.InputTokens != 2 || r.Metrics["time_to_first_token"].Value == nil {
					t.Fatalf("ISL %d, metrics %v", r.Record.InputTokens, r.Metrics)
				}
				d, _ := r.Metrics["audio_duration"].Value.(float64)
				x, _ := r.Metrics["rtfx"].Value.(float64)
				switch {
				case c.endpoint == "audio_transcription" && (d < 0.0499 || d > 0.0501 || x <= 0):
					t.Fatalf("audio_duration %v, rtfx %v", d, x)
				case c.endpoint == "chat" && (d != 0 || x != 0):
					t.Fatalf("chat record has audio metrics (audio_duration %v, rtfx %v); AIPerf gives them to transcription only", d, x)
				}
			}
		})
	}
}

// Every dataset type runs against the mock without errors.
func TestDatasetTypesAgainstMock(t *testing.T) {
	if testing.Short() {
		t.Skip("multi_turn waits out a 1.5 s delay")
	}
	cases := []struct {
		args []string
		n    int // requests
	}{
		{[]string{"--input-file", "../../inputs/testdata/single_turn.jsonl", "--request-count", "4"}, 4},
		{[]string{"--input-file", "../../inputs/testdata/multi_turn.jsonl", "--custom-dataset-type", "multi_turn", "--request-count", "4"}, 4},
		{[]string{"--input-file", "../../inputs/testdata/pool", "--custom-dataset-type", "random_pool", "--request-count", "5"}, 5},
		{[]string{"--input-file", "../../inputs/testdata/mooncake_trace.jsonl"}, 5}, // fixed schedule: one per line
		{[]string{"--audio-length-mean", "0.2", "--audio-format", "mp3", "--synthetic-input-tokens-mean", "0", "--request-count", "3",
			"--endpoint-type", "audio_transcription"}, 3},
		{[]string{"--tokenizer", "../../tokens/testdata", "--synthetic-input-tokens-mean", "37", "--request-count", "6"}, 6},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			recs, _, _ := profileMockRecords(t, c.n, append([]string{"--model", "m", "--streaming", "--concurrency", "2"}, c.args...)...)
			for _, r := range recs {
				if strings.Contains(strings.Join(c.args, " "), "--tokenizer") {
					if r.Record.InputTokens != 37 || r.Record.TokenSource != "tokenizer:testdata" {
						t.Fatalf("tokenizer run: ISL %d, source %q", r.Record.InputTokens, r.Record.TokenSource)
					}
				}
			}
		})
	}
}

func TestBadTokenizerIsOneLine(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "tokenizer.json")
	if err := os.WriteFile(bad, []byte(`{"model": {"type": "BPE", "vocab": {"a": 0`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{bad, filepath.Join(t.TempDir(), "missing")} {
		code, _, errOut, _ := profileInDir(t, "--url", "127.0.0.1:9", "--model", "m", "--tokenizer", path, "--request-count", "1")
		line := strings.TrimSpace(errOut)
		if code != 2 || strings.Count(line, "\n") != 0 || !strings.Contains(line, "--tokenizer") || !strings.Contains(line, filepath.Dir(path)) {
			t.Errorf("--tokenizer %s: exit %d, stderr %q", path, code, errOut)
		}
	}
}
