package profile

import (
	"fmt"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/accuracy"
	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
	"github.com/aiperf-exporter/aiperf-exporter/report"
	"github.com/aiperf-exporter/aiperf-exporter/upload/mlflow"
	"github.com/aiperf-exporter/aiperf-exporter/upload/otel"
	"github.com/aiperf-exporter/aiperf-exporter/upload/wandb"
)

// Settings is one parsed `profile` invocation.
type Settings struct {
	Options options.Options
	Profile options.Profile
	// Args is the command line after `profile`, echoed redacted as `CLI Command:`.
	Args []string
	// Set names the flags given (on the command line, by any of their names,
	// or as AIPERF_*), by flag name:
	// --artifact-dir is then used as-is, --failed-request-threshold is on,
	// and input_config lists what was set, as AIPerf's does.
	Set map[string]bool
	// Mock shapes the embedded mock server, started with --mock.
	Mock mockserver.Config
}

// ExitError is why `profile` failed and the exit code that says so: 2 for a
// bad setting or input, 1 for a run that failed or left nothing to report.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

func exit(code int, err error) error { return &ExitError{Code: code, Err: err} }

// Export levels (--export-level), as AIPerf names them.
const (
	ExportSummary = "summary" // CSV and JSON only
	ExportRecords = "records" // also profile_export.jsonl
	ExportRaw     = "raw"     // also profile_export_raw.jsonl
)

// Run is one checked `profile` invocation.
type Run struct {
	o       options.Options
	p       options.Profile
	args    []string
	set     map[string]bool
	mock    mockserver.Config
	seed    int64
	goodput map[string]float64
	startAt time.Time        // --start-at; zero: start at once
	warmup  probe.WarmupLoad // the warmup's own load (--warmup-concurrency, ...)
	sched   schedule         // --request-rate-series, ... (schedule.go)
	names   report.Names     // export file names (--profile-export-prefix)
	otel    *otel.Config     // --otel-url; nil when off (profile/upload.go)
	mlflow  *mlflow.Config   // --mlflow-tracking-uri; nil when off (profile/upload_mlflow.go)
	wandb   *wandb.Config    // --wandb-project; nil when off (profile/upload_wandb.go)
	control *controlPlan     // --reset-kv-cache, --server-profiler; nil: neither
	netLat  *netLatency      // --network-latency-*; nil: no adjustment
	apiAddr string           // --api-host:--api-port; "": no API server
	acc     *accuracy.Config // --accuracy-benchmark; nil when off
	// agentic is --scenario's agentic replay (scenario.go); off without one.
	agentic          probe.Agentic
	scenarioWarnings []string // conflicts --unsafe-override let through
}

// New checks the settings only `profile` has (the shared ones are checked by
// options.Options.Validate) and fixes the random seed: the current time when
// --random-seed is not given. Its errors are *options.Error (exit 2).
func New(s Settings) (*Run, error) {
	r := &Run{o: s.Options, p: s.Profile, args: s.Args, set: s.Set, mock: s.Mock}
	if err := notYetSupported(&r.p); err != nil {
		return nil, err
	}
	warnings, err := scenarioLock(&r.o, &r.p, r.set)
	if err != nil {
		return nil, err
	}
	r.scenarioWarnings = warnings
	if r.agentic, err = agenticFrom(&r.o, &r.p, r.set); err != nil {
		return nil, err
	}
	if r.p.FailedRequestThreshold < 0 || r.p.FailedRequestThreshold > 1 {
		return nil, &options.Error{Flag: "failed-request-threshold", Msg: fmt.Sprintf("must be a ratio between 0 and 1 (AIPerf's unit), got %g", r.p.FailedRequestThreshold)}
	}
	switch r.p.ExportLevel {
	case ExportSummary:
		if r.p.Plot {
			return nil, &options.Error{Flag: "plot", Msg: "needs the records: --export-level records or raw"}
		}
	case ExportRecords, ExportRaw:
	default:
		return nil, &options.Error{Flag: "export-level", Msg: fmt.Sprintf("must be summary, records or raw, got %s", clip.Quote(r.p.ExportLevel))}
	}
	names, err := ExportNames(r.p)
	if err != nil {
		return nil, err
	}
	r.names = names
	if r.warmup, err = warmupLoad(&r.p, r.set); err != nil {
		return nil, err
	}
	if r.otel, err = checkOTel(&r.p, r.set); err != nil {
		return nil, err
	}
	if r.mlflow, err = checkMLflow(&r.p, r.set); err != nil {
		return nil, err
	}
	if r.wandb, err = checkWandb(&r.p, r.set); err != nil {
		return nil, err
	}
	if r.sched, err = scheduleFrom(&r.o, &r.p, r.set); err != nil {
		return nil, err
	}
	if err := checkTransport(&r.p); err != nil {
		return nil, err
	}
	if r.control, err = planControl(&r.p, r.o.RequestTimeout); err != nil {
		return nil, err
	}
	if r.netLat, err = planNetLatency(&r.p); err != nil {
		return nil, err
	}
	if r.apiAddr, err = apiAddr(&r.p); err != nil {
		return nil, err
	}
	if r.p.StartAt != "" {
		at, err := ParseStartAt(r.p.StartAt)
		if err != nil {
			return nil, &options.Error{Flag: "start-at", Msg: err.Error()}
		}
		r.startAt = at
	}
	if r.o.Goodput != "" {
		g, err := metrics.ParseGoodput(r.o.Goodput)
		if err != nil {
			return nil, &options.Error{Flag: "goodput", Msg: err.Error()}
		}
		if err := metrics.CheckGoodput(g, r.o.Streaming, r.o.EndpointType); err != nil {
			return nil, &options.Error{Flag: "goodput", Msg: err.Error()}
		}
		r.goodput = g
	}
	if r.acc, err = accuracyConfig(&r.p, r.set); err != nil {
		return nil, err
	}
	if err := accuracyAlone(r.acc, &r.o); err != nil {
		return nil, err
	}
	r.seed = r.o.RandomSeed
	if r.seed == 0 {
		r.seed = time.Now().UnixNano()
	}
	return r, nil
}

// ExportNames are the export files' names from --profile-export-prefix or
// its alias --profile-export-file (AIPerf's two names of one setting).
func ExportNames(p options.Profile) (report.Names, error) {
	flag, prefix := "profile-export-prefix", p.ProfileExportPrefix
	if p.ProfileExportFile != "" {
		if prefix != "" && prefix != p.ProfileExportFile {
			return report.Names{}, &options.Error{Flag: "profile-export-file", Msg: fmt.Sprintf("%s differs from --profile-export-prefix %s: they are one setting", clip.Quote(p.ProfileExportFile), clip.Quote(prefix))}
		}
		flag, prefix = "profile-export-file", p.ProfileExportFile
	}
	names, err := report.NamesFor(prefix)
	if err != nil {
		return report.Names{}, &options.Error{Flag: flag, Msg: err.Error()}
	}
	return names, nil
}

// notYetSupported refuses AIPerf flags this tool accepts only at their default
// (options.Profile lists them), naming the flag and what is missing.
func notYetSupported(p *options.Profile) error {
	for _, c := range refusals(p) {
		if !c.off {
			return &options.Error{Flag: c.flag, Msg: "not yet supported: " + c.why}
		}
	}
	return nil
}

// refusal is one flag notYetSupported refuses away from its default.
type refusal struct {
	flag, why string
	off       bool // the flag is at its default
}

// refusals lists every refused flag with whether p leaves it at its default.
// None is today: every flag of AIPerf's is built. An AIPerf flag accepted
// before it is built gets a row here, and its help says "not yet supported".
func refusals(p *options.Profile) []refusal {
	return nil
}

// thresholdGiven: --failed-request-threshold is off unless given (AIPerf's
// default is None), so 0 means "no failure at all".
func (r *Run) thresholdGiven() bool { return r.set["failed-request-threshold"] }

// tooManyFailed is AIPerf's early abort (--failed-request-threshold): once
// max(concurrency, 10) requests have finished, a failed share above the
// threshold stops the run.
func (r *Run) tooManyFailed(done, failed int) bool {
	if !r.thresholdGiven() || done < max(r.o.EffectiveConcurrency(), 10) {
		return false
	}
	return float64(failed)/float64(done) > r.p.FailedRequestThreshold
}

// secs is a flag's seconds as a duration.
func secs(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
