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
	// ArtifactDirSet says --artifact-dir was given: it is used as-is.
	ArtifactDirSet bool
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
	o              options.Options
	p              options.Profile
	args           []string
	artifactDirSet bool
	mock           mockserver.Config
	seed           int64
	goodput        map[string]float64
}

// New checks the settings only `profile` has (the shared ones are checked by
// options.Options.Validate) and fixes the random seed: the current time when
// --random-seed is not given. Its errors are *options.Error (exit 2).
func New(s Settings) (*Run, error) {
	r := &Run{o: s.Options, p: s.Profile, args: s.Args, artifactDirSet: s.ArtifactDirSet, mock: s.Mock}
	if r.p.FailedRequestThreshold < 0 || r.p.FailedRequestThreshold > 100 {
		return nil, &options.Error{Flag: "failed-request-threshold", Msg: fmt.Sprintf("must be between 0 and 100, got %g", r.p.FailedRequestThreshold)}
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
		r.goodput = g
	}
	r.seed = r.o.RandomSeed
	if r.seed == 0 {
		r.seed = time.Now().UnixNano()
	}
	return r, nil
}
