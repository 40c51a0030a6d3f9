package daemon

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.uber.org/zap"

	"github.com/aiperf-exporter/aiperf-exporter/internal/mocktest"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// baseOptions are the daemon's flags: defaults plus args.
func baseOptions(t *testing.T, args ...string) (*options.Options, *options.Serve) {
	t.Helper()
	var o options.Options
	var s options.Serve
	testkit.ParseFlags(t, args, &o, &s)
	return &o, &s
}

// validOptions are baseOptions that pass Validate, as the daemon gets them.
func validOptions(t *testing.T, args ...string) (*options.Options, *options.Serve) {
	t.Helper()
	o, s := baseOptions(t, args...)
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	return o, s
}

func TestLoadScenariosFile(t *testing.T) {
	o, _ := baseOptions(t, "--model", "m", "--isl", "20", "--concurrency", "3")
	got, err := LoadScenarios(filepath.Join("testdata", "scenarios.yaml"), o, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "short-audio" || got[1].Name != "long-audio" {
		t.Fatalf("scenarios %+v", got)
	}
	short, long := got[0], got[1]
	if short.Options.AudioLengthMean != 0.5 || short.Options.Concurrency != 2 || short.ProbeInterval != 0 {
		t.Errorf("short-audio: %+v", short)
	}
	if long.Options.AudioLengthMean != 2 || long.Options.Concurrency != 3 || long.ProbeInterval != 0.5 ||
		!slices.Equal(long.Options.AudioSampleRates, []float64{8, 16}) || !slices.Equal(long.Options.Headers, []string{"X-Scenario: long"}) {
		t.Errorf("long-audio: %+v", long)
	}
	// Settings not in the file come from the base, which stays untouched.
	if long.Options.InputTokensMean != 20 || o.AudioLengthMean != 0 || len(o.Headers) != 0 {
		t.Errorf("base not layered: long isl %d, base audio %g headers %v", long.Options.InputTokensMean, o.AudioLengthMean, o.Headers)
	}
}

// Strict decoding: every mistake is one line naming file, line, scenario and key.
func TestLoadScenariosErrors(t *testing.T) {
	o, _ := baseOptions(t, "--model", "m")
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"empty", "", "s.yaml: the file is empty"},
		{"unknown top key", "scenario:\n  - name: a\n", `s.yaml:1: unknown key "scenario"`},
		{"not a list", "scenarios: {}\n", "s.yaml:1: 'scenarios' must be a non-empty list"},
		{"unknown key", "scenarios:\n  - name: a\n    audio-lenght-mean: 2\n", `s.yaml:2: scenario "a": line 3: audio-lenght-mean: unknown key`},
		{"bad value", "scenarios:\n  - name: a\n    concurrency: two\n", `scenario "a": line 3: concurrency: "two" is not a whole number`},
		{"invalid value", "scenarios:\n  - name: a\n    audio-format: flac\n", `scenario "a": audio-format: `},
		{"daemon-wide", "scenarios:\n  - name: a\n    web.listen-address: ':1'\n", "web.listen-address: is a daemon-wide setting"},
		{"no name", "scenarios:\n  - concurrency: 2\n", "scenario #1: has no name"},
		{"duplicate name", "scenarios:\n  - name: a\n  - name: a\n", `s.yaml:3: scenario "a": name: used by an earlier scenario`},
		{"duplicate key via alias", "scenarios:\n  - name: a\n    isl: 3\n    synthetic-input-tokens-mean: 4\n", "already set as isl"},
		{"list for a scalar", "scenarios:\n  - name: a\n    concurrency: [1, 2]\n", "concurrency: takes one value"},
		{"interval with rate", "scenarios:\n  - name: a\n    request-rate: 2\n    probe.interval: 5\n", "probe.interval: bursts every interval cannot be combined"},
		{"bad yaml", "scenarios:\n  - name: [\n", "s.yaml: yaml:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseScenarios(strings.NewReader(tc.yaml), "s.yaml", o, 0)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
}

// Without a file the options run alone under --scenario; the burst shape is
// still checked.
func TestScenariosWithoutFile(t *testing.T) {
	o, s := baseOptions(t, "--model", "m", "--scenario", "solo", "--probe.interval", "2")
	got, err := Scenarios(o, s)
	if err != nil || len(got) != 1 || got[0].Name != "solo" || got[0].ProbeInterval != 2 {
		t.Fatalf("%+v %v", got, err)
	}
	o.RequestRate = 1
	if _, err := Scenarios(o, s); err == nil || !strings.Contains(err.Error(), "--probe.interval (AIPERF_PROBE_INTERVAL)") {
		t.Errorf("interval with rate: %v", err)
	}
}

// Several scenarios from a file run at once against the real mock, each its
// own label value, and in-flight requests drain on shutdown.
func TestAppRunsFileScenarios(t *testing.T) {
	mock := mocktest.Start(t, mockserver.Config{TTFT: 20 * time.Millisecond, ITL: time.Millisecond, OutputTokens: 3, Seed: 1})
	o, s := baseOptions(t, "--model", "m", "--url", mock.URL, "--streaming", "--isl", "5", "--random-seed", "3", "--num-dataset-entries", "4",
		"--config.file", filepath.Join("testdata", "scenarios.yaml"), "--shutdown.grace-period", "5")
	app, err := NewApp(o, s, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	// Shut down once two long-audio bursts are in, 0.5 s before the next one
	// is due: a fixed run time could end inside a burst on a loaded machine.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- app.Daemon.Run(ctx) }()
	scrape := func() string {
		rec := httptest.NewRecorder()
		app.Handler.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		return rec.Body.String()
	}
	successes := func(body, scenario string) float64 { // -1 when not there yet
		prefix := `aiperf_requests_total{model_name="m",outcome="success",scenario="` + scenario + `"`
		for _, line := range strings.Split(body, "\n") {
			if strings.HasPrefix(line, prefix) {
				v, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
				if err != nil {
					t.Fatalf("metric line %q: %v", line, err)
				}
				return v
			}
		}
		return -1
	}
	deadline := time.Now().Add(30 * time.Second)
	b := scrape()
	for ; successes(b, "short-audio") <= 0 || successes(b, "long-audio") < 4; b = scrape() {
		if time.Now().After(deadline) {
			t.Fatalf("no two long-audio bursts and short-audio success within 30 s:\n%s", b)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	seen := successes(b, "long-audio") // when the shutdown was asked
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	body := scrape()
	for _, sc := range []string{"short-audio", "long-audio"} {
		if !strings.Contains(body, `aiperf_requests_total{model_name="m",outcome="success",scenario="`+sc+`"`) {
			t.Errorf("no successful requests for scenario %s", sc)
		}
	}
	// Bursts of 2 every 0.5 s: the shutdown starts no new burst and no new
	// request, so at most the rest of the burst under way when it was asked
	// follows (a loaded machine may see the count late, inside a third burst,
	// and stop it after its first request: 5 was seen); none cancelled by the
	// shutdown, since requests drain within the grace period.
	if n := testutil.CollectAndCount(app.Registry, "aiperf_request_errors_total"); n == 0 {
		t.Fatal("no error counters registered")
	}
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(line, "aiperf_request_errors_total{") && strings.Contains(line, `reason="cancelled"`) && !strings.HasSuffix(line, " 0") {
			t.Errorf("requests cancelled at shutdown instead of drained: %s", line)
		}
	}
	if n := successes(body, "long-audio"); n < 4 || n > seen+2 {
		t.Errorf("%g long-audio successes after the shutdown, %g when it was asked: want at least 2 bursts of 2 and at most the rest of one more", n, seen)
	}
}

// serve, like profile, turns --streaming off for an endpoint type that never
// streams (AIPerf's rule), so its TTFT and ITL histograms are not expected.
func TestScenariosDropStreamingOfNonStreamingEndpoints(t *testing.T) {
	for endpoint, want := range map[string]bool{"chat": true, "completions": true, "embeddings": false, "nim_rankings": false} {
		o, s := baseOptions(t, "--model", "m", "--endpoint-type", endpoint, "--streaming")
		got, err := Scenarios(o, s)
		if err != nil || got[0].Options.Streaming != want {
			t.Errorf("%s: streaming %v (%v), want %v", endpoint, got[0].Options.Streaming, err, want)
		}
	}
}
