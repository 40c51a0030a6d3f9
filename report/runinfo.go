package report

import (
	"path/filepath"
	"time"
)

// File names inside the artifact directory, as AIPerf names them.
const (
	CSVFile   = "profile_export_aiperf.csv"
	JSONFile  = "profile_export_aiperf.json"
	JSONLFile = "profile_export.jsonl"
	// RawJSONLFile is written with --export-level raw: every record whole.
	RawJSONLFile = "profile_export_raw.jsonl"
	InputsFile   = "inputs.json"
	LogDir       = "logs"
	LogFile      = "aiperf.log"
)

// RunInfo is what the reports say about the run besides its metrics.
type RunInfo struct {
	// CLICommand is the command line, already redacted by the caller.
	CLICommand string
	// ArtifactDir is where the files go (see ArtifactDir).
	ArtifactDir string
	// InputConfig is echoed as the JSON's input_config. A json.RawMessage keeps
	// the caller's key order; nil writes no input_config.
	InputConfig any
	// TokenSource overrides the token counter named in the JSON
	// (default: the records' own token_source).
	TokenSource string
	// Cancelled marks a run stopped early (also taken from the Result).
	Cancelled bool
	// Start and End are the profiling phase's wall-clock bounds, written as
	// local ISO times like AIPerf; zero falls back to the records' span.
	Start, End time.Time
	// DroppedLateRequests counts requests dropped for ending after
	// --benchmark-duration + grace; the JSON's dropped_late_requests.
	DroppedLateRequests int
	// Extra are top-level JSON fields carried over from a source export
	// (see ReadSource); WriteJSON writes those it does not write itself.
	Extra []Field
	// Partial marks a run that did not finish (it was killed): the JSON
	// says "partial": true. Ours, not AIPerf's.
	Partial bool
	// Names are the export files' names (--profile-export-prefix); zero:
	// AIPerf's defaults.
	Names Names
	// EndpointType is the run's --endpoint-type: it names the console's
	// metrics table as AIPerf's endpoint metadata does ("" and chat: LLM Metrics).
	EndpointType string
	// Tally is what the JSON needs of the records besides their metrics;
	// WriteAll fills it from its records when nil.
	Tally *Tally
}

// LogPath is where the caller's logger writes: <dir>/logs/aiperf.log.
func LogPath(dir string) string { return filepath.Join(dir, LogDir, LogFile) }

// absPath resolves p like Python's Path.resolve(): absolute, symlinks
// followed where they exist.
func absPath(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if r, err := filepath.EvalSymlinks(a); err == nil {
		return r
	}
	if r, err := filepath.EvalSymlinks(filepath.Dir(a)); err == nil {
		return filepath.Join(r, filepath.Base(a))
	}
	return a
}
