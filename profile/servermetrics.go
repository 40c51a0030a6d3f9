package profile

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/common/version"

	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
	"github.com/aiperf-exporter/aiperf-exporter/internal/redact"
	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
	"github.com/aiperf-exporter/aiperf-exporter/report"
	"github.com/aiperf-exporter/aiperf-exporter/servermetrics"
)

// serverMetricsPlan is profile's server-metrics hook, planned from the flags
// before the run: each target's /metrics (unless --no-server-metrics), the
// --server-metrics URLs, and the --gpu-telemetry URLs (with --mock, the
// mock's fake GPU too).
type serverMetricsPlan struct {
	cfg     servermetrics.Config
	formats []string
	warmup  int // warmup requests: the window starts again at the warmup's end
	// warmupTimed: a --warmup-duration warmup, left out too.
	warmupTimed bool
}

// planServerMetrics checks the server-metrics flags; a nil plan scrapes
// nothing. Scrapes use a plain HTTP client: the probe's credentials, headers
// and API key never go to a metrics endpoint, which may be another host.
func planServerMetrics(p *options.Profile, cfg probe.Config, endpointPath, mockURL string) (*serverMetricsPlan, error) {
	for _, f := range p.ServerMetricsFormats {
		if !slices.Contains(report.ServerMetricsFormats, f) {
			return nil, &options.Error{Flag: "server-metrics-formats", Msg: fmt.Sprintf("%s is not one of %s", clip.Quote(f), strings.Join(report.ServerMetricsFormats, ", "))}
		}
	}
	if !(p.ServerMetricsInterval > 0) {
		return nil, &options.Error{Flag: "server-metrics-interval", Msg: fmt.Sprintf("must be above 0, got %g", p.ServerMetricsInterval)}
	}
	var targets []servermetrics.Target
	add := func(raw, kind string) {
		u := metricsURL(raw)
		for _, t := range targets {
			if t.URL == u {
				return
			}
		}
		targets = append(targets, servermetrics.Target{URL: u, Kind: kind, Name: redact.URL(u)})
	}
	if !p.NoServerMetrics {
		for _, t := range cfg.Targets {
			add(strings.TrimSuffix(t.URL, endpointPath), servermetrics.KindServer)
		}
		for _, u := range p.ServerMetrics {
			add(u, servermetrics.KindServer)
		}
	}
	if !p.NoGPUTelemetry {
		for _, u := range p.GPUTelemetry {
			add(u, servermetrics.KindGPU)
		}
		if mockURL != "" {
			add(mockURL+"/dcgm/metrics", servermetrics.KindGPU)
		}
	}
	if len(targets) == 0 {
		return nil, nil
	}
	interval := secs(p.ServerMetricsInterval)
	return &serverMetricsPlan{
		cfg: servermetrics.Config{Targets: targets, Interval: interval, Timeout: 5 * time.Second,
			Settle: scrapeSettle, UserAgent: "aiperf-exporter/" + version.Version, Slice: sliceDuration(p.SliceDuration)},
		formats:     p.ServerMetricsFormats,
		warmup:      cfg.WarmupCount,
		warmupTimed: cfg.WarmupDuration > 0,
	}, nil
}

// sliceDuration is --slice-duration for the collector (0: no slices).
func sliceDuration(seconds float64) time.Duration {
	if !(seconds > 0) {
		return 0
	}
	return time.Duration(metrics.SliceNs(seconds))
}

// scrapeSettle is how long the final scrape waits for servers to count the
// last requests (AIPerf waits 2 s).
const scrapeSettle = 500 * time.Millisecond

// metricsURL applies AIPerf's rule to a metrics URL: http:// when there is
// no scheme, /metrics when there is no path.
func metricsURL(raw string) string {
	s := strings.TrimSpace(raw)
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	s = strings.TrimRight(s, "/")
	if rest := s[strings.Index(s, "://")+3:]; !strings.Contains(rest, "/") {
		s += "/metrics"
	}
	return s
}

// serverMetricsRun is a started plan.
type serverMetricsRun struct {
	plan     *serverMetricsPlan
	c        *servermetrics.Collector
	res      *servermetrics.Result
	warnings []string // printed after the run, not over the progress bar
}

// start takes the baseline scrape and starts the periodic ones; log gets
// one line per endpoint that fails, at once.
func (p *serverMetricsPlan) start(log func(string)) *serverMetricsRun {
	if p == nil {
		return nil
	}
	s := &serverMetricsRun{plan: p}
	cfg := p.cfg
	cfg.Warn = func(msg string) { // serialised by the collector
		log(msg)
		s.warnings = append(s.warnings, msg)
	}
	s.c = servermetrics.Start(cfg)
	return s
}

// stop takes the final scrape and prints the warnings to stderr.
func (s *serverMetricsRun) stop(stderr io.Writer) {
	if s == nil {
		return
	}
	s.res = s.c.Stop()
	for _, w := range s.warnings {
		fmt.Fprintln(stderr, "Warning: "+w)
	}
}

// report writes the server-metrics exports and prints the client-versus-server
// tables after the main report.
func (s *serverMetricsRun) report(dir string, res *metrics.Result, inputConfig any, names report.Names, stdout io.Writer) error {
	if s == nil || s.res == nil {
		return nil
	}
	if res.LastEndNs > res.FirstStartNs { // AIPerf's slices span the profiling phase: first request sent to last answer
		s.res.Slice(time.Unix(0, res.FirstStartNs), time.Unix(0, res.LastEndNs))
	}
	info := report.ServerMetricsInfo{Version: version.Version, InputConfig: inputConfig, Names: names}
	paths, err := report.WriteServerMetrics(dir, s.res, info, s.plan.formats)
	if err != nil {
		return err
	}
	if err := report.WriteServerMetricsConsole(stdout, s.res, res, paths, report.ConsoleOptionsFor(stdout)); err != nil {
		return err
	}
	if s.plan.warmupTimed || s.plan.warmup > 0 {
		_, err = fmt.Fprintln(stdout, "Note: the server-side figures start with a scrape at the warmup's end; the warmup requests are left out.")
	}
	return err
}

// onProfiling is the probe's hook at the warmup's end: the server's window
// starts anew there, so its figures cover the requests the client's do. nil
// without a warmup (the baseline is taken just before the run).
func (s *serverMetricsRun) onProfiling() func() {
	if s == nil || (s.plan.warmup == 0 && !s.plan.warmupTimed) {
		return nil
	}
	return s.c.Rebase
}
