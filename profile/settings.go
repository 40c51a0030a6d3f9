package profile

import (
	"fmt"
	"math"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// Settings is one parsed `profile` invocation.
type Settings struct {
	Options options.Options
	Profile options.Profile
	// Args is the command line after `profile`, echoed redacted as `CLI Command:`.
	Args []string
	// Set names the flags given (on the command line or as AIPERF_*):
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
	startAt time.Time // --start-at; zero: start at once
}

// New checks the settings only `profile` has (the shared ones are checked by
// options.Options.Validate) and fixes the random seed: the current time when
// --random-seed is not given. Its errors are *options.Error (exit 2).
func New(s Settings) (*Run, error) {
	r := &Run{o: s.Options, p: s.Profile, args: s.Args, set: s.Set, mock: s.Mock}
	if err := notYetSupported(&r.p); err != nil {
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
		return nil, &options.Error{Flag: "export-level", Msg: fmt.Sprintf("must be summary, records or raw, got %q", r.p.ExportLevel)}
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
		for tag, v := range g { // a NaN SLO would switch the goal off
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, &options.Error{Flag: "goodput", Msg: fmt.Sprintf("%s: %g is not a finite number", tag, v)}
			}
		}
		if err := metrics.CheckGoodput(g, r.o.Streaming, r.o.EndpointType); err != nil {
			return nil, &options.Error{Flag: "goodput", Msg: err.Error()}
		}
		r.goodput = g
	}
	r.seed = r.o.RandomSeed
	if r.seed == 0 {
		r.seed = time.Now().UnixNano()
	}
	return r, nil
}

// notYetSupported refuses AIPerf flags this tool accepts only at their default
// (options.Profile lists them), naming the flag and what is missing.
func notYetSupported(p *options.Profile) error {
	checks := []struct {
		flag, why string
		off       bool
	}{
		{"conversation-turn-mean", "synthetic multi-turn conversations (use --input-file with multi_turn)", p.ConversationTurnMean == 1},
		{"conversation-turn-stddev", "synthetic multi-turn conversations", p.ConversationTurnStddev == 0},
		{"conversation-turn-delay-mean", "synthetic multi-turn conversations", p.ConversationTurnDelayMean == 0},
		{"conversation-turn-delay-stddev", "synthetic multi-turn conversations", p.ConversationTurnDelayStddev == 0},
		{"conversation-turn-delay-ratio", "synthetic multi-turn conversations", p.ConversationTurnDelayRatio == 1},
		{"synthetic-input-tokens-block-size", "a trace block size other than 512", p.InputTokensBlockSize == 512},
		{"prompt-batch-size", "several texts per request", p.PromptBatchSize == 1},
		{"image-width-mean", "synthetic images", p.ImageWidthMean == 0},
		{"image-width-stddev", "synthetic images", p.ImageWidthStddev == 0},
		{"image-height-mean", "synthetic images", p.ImageHeightMean == 0},
		{"image-height-stddev", "synthetic images", p.ImageHeightStddev == 0},
		{"image-batch-size", "synthetic images", p.ImageBatchSize == 1},
		{"image-format", "synthetic images", p.ImageFormat == ""},
		{"profile-export-file", "other export file names", p.ProfileExportFile == ""},
		{"profile-export-prefix", "other export file names", p.ProfileExportPrefix == ""},
	}
	for _, c := range checks {
		if !c.off {
			return &options.Error{Flag: c.flag, Msg: "not yet supported: " + c.why}
		}
	}
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
