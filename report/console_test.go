package report

import (
	"io"
	"strings"
	"testing"
)

func TestConsoleGolden(t *testing.T) {
	for _, tc := range []struct {
		golden    string
		errors    bool
		cancelled bool
		width     int
	}{
		{"console_3req.golden", false, false, 100},
		{"console_3req_wide.golden", false, false, 160},
		{"console_errors.golden", true, true, 100},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			recs := threeRequests()
			if tc.errors {
				recs = withErrors()
			}
			info := testInfo()
			info.Cancelled = tc.cancelled
			out := written(t, func(w io.Writer) error {
				return WriteConsoleWith(w, aggregate(recs), info, ConsoleOptions{Width: tc.width})
			})
			if strings.Contains(out, "\x1b[") {
				t.Error("ANSI codes without colour")
			}
			golden(t, tc.golden, []byte(out))
		})
	}
}

// The facts the issue asks for, independent of the golden files.
func TestConsoleContent(t *testing.T) {
	out := written(t, func(w io.Writer) error {
		return WriteConsoleWith(w, aggregate(threeRequests()), testInfo(), ConsoleOptions{Width: 200})
	})
	wantIn(t, "console", out,
		"NVIDIA AIPerf | LLM Metrics",
		"Metric ┃    avg ┃    min ┃    max ┃    p99 ┃    p90 ┃    p50 ┃   std ┃\n",
		"│     Output Token Throughput Per User │  49.21 │",
		"│                    (tokens/sec/user) │        │",
		// TTFT: avg 102.36, min 85.26, max 135.83, p99 134.83, p90 125.86, p50 85.99, std 23.67
		"Time to First Token (ms) │ 102.36 │  85.26 │ 135.83 │ 134.83 │ 125.86 │  85.99 │ 23.67 │\n",
		"Request Count (requests) │   3.00 │    N/A │    N/A │    N/A │    N/A │    N/A │   N/A │\n",
		"\nCLI Command: aiperf profile --model 'Qwen/Qwen2.5-Omni-3B'",
		"\nBenchmark Duration: 0.20 sec\n",
		"\nCSV Export: /nonexistent/artifacts/Qwen_Qwen2.5-Omni-3B-openai-chat-concurrency4/profile_export_aiperf.csv\n",
		"\nJSON Export: /nonexistent/artifacts/Qwen_Qwen2.5-Omni-3B-openai-chat-concurrency4/profile_export_aiperf.json\n",
		"\nLog File: /nonexistent/artifacts/Qwen_Qwen2.5-Omni-3B-openai-chat-concurrency4/logs/aiperf.log\n",
	)
	for _, absent := range []string{"Error Summary", "Error Request Count", "Schedule Lag", "Inter Chunk", "cancelled"} {
		if strings.Contains(out, absent) {
			t.Errorf("unexpected %q", absent)
		}
	}
	if !strings.HasPrefix(out, "\n\n") || !strings.HasSuffix(out, ".log\n\n") {
		t.Errorf("framing: %q ... %q", out[:5], out[len(out)-10:])
	}
}

func TestConsoleNonStreamingHasNoStreamingRows(t *testing.T) {
	recs := threeRequests()
	for _, r := range recs {
		r.Streaming = false
	}
	out := written(t, func(w io.Writer) error {
		return WriteConsoleWith(w, aggregate(recs), testInfo(), ConsoleOptions{Width: 200})
	})
	for _, absent := range []string{"Time to First Token", "Inter Token Latency", "Per User"} {
		if strings.Contains(out, absent) {
			t.Errorf("non-streaming run shows %q", absent)
		}
	}
	if !strings.Contains(out, "Request Latency (ms)") {
		t.Error("no request latency row")
	}
}

func TestConsoleColor(t *testing.T) {
	out := written(t, func(w io.Writer) error {
		return WriteConsoleWith(w, aggregate(withErrors()), testInfo(), ConsoleOptions{Width: 100, Color: true})
	})
	wantIn(t, "colour console", out, "\x1b[36m", "\x1b[2;32m", "\x1b[3;31m", "NVIDIA AIPerf | Error Summary", "\x1b[1;32mCLI Command:\x1b[0m ")
}

func TestConsoleOptionsForNonTerminal(t *testing.T) {
	t.Setenv("COLUMNS", "")
	t.Setenv("FORCE_COLOR", "")
	var b strings.Builder
	opt := ConsoleOptionsFor(&b)
	if opt.Color {
		t.Error("colour for a non-terminal writer")
	}
	if opt.Width < 100 {
		t.Errorf("width %d < 100", opt.Width)
	}
	t.Setenv("COLUMNS", "180")
	if w := ConsoleOptionsFor(&b).Width; w != 180 {
		t.Errorf("COLUMNS=180 gives width %d", w)
	}
}

// The metrics table is named by the endpoint type, as AIPerf's endpoint
// metadata names it (metrics_title).
func TestConsoleTitlePerEndpoint(t *testing.T) {
	for endpoint, want := range map[string]string{
		"":                    "NVIDIA AIPerf | LLM Metrics",
		"chat":                "NVIDIA AIPerf | LLM Metrics",
		"completions":         "NVIDIA AIPerf | LLM Metrics",
		"audio_transcription": "NVIDIA AIPerf | Audio Transcription Metrics",
		"embeddings":          "NVIDIA AIPerf | Embeddings Metrics",
		"nim_rankings":        "NVIDIA AIPerf | Rankings Metrics",
		"hf_tei_rankings":     "NVIDIA AIPerf | Ranking Metrics",
		"cohere_rankings":     "NVIDIA AIPerf | Ranking Metrics",
		"image_generation":    "NVIDIA AIPerf | Image Generation Metrics",
	} {
		info := testInfo()
		info.EndpointType = endpoint
		out := written(t, func(w io.Writer) error {
			return WriteConsoleWith(w, aggregate(threeRequests()), info, ConsoleOptions{Width: 200})
		})
		if !strings.Contains(out, want+" ") && !strings.Contains(out, want+"\n") {
			t.Errorf("%q: no title %q in\n%s", endpoint, want, out[:200])
		}
	}
}
