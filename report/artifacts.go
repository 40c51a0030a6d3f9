package report

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ArtifactSpec holds the options that name the artifact directory.
type ArtifactSpec struct {
	// Base is --artifact-dir ("artifacts" when empty).
	Base string
	// Explicit: --artifact-dir was given, so Base is used as-is.
	Explicit bool
	// Models are the --model names; the first names the directory.
	Models []string
	// EndpointType is --endpoint-type, e.g. "chat".
	EndpointType string
	// Concurrency is --concurrency (0 = not given).
	Concurrency int
	// RequestRate is --request-rate (0 = not given).
	RequestRate float64
	// FixedSchedule is --fixed-schedule (or a trace with timestamps).
	FixedSchedule bool
}

// ArtifactDir returns AIPerf's artifact directory for s, named from the model,
// the endpoint type and the load:
// <base>/<model>[_multi]-openai-<type>-<stimulus>, e.g.
// artifacts/Qwen_Qwen2.5-Omni-3B-openai-chat-concurrency4.
func ArtifactDir(s ArtifactSpec) string {
	base := s.Base
	if base == "" {
		base = "artifacts"
	}
	if s.Explicit {
		return base
	}
	model := ""
	if len(s.Models) > 0 {
		model = s.Models[0]
	}
	if len(s.Models) > 1 {
		model += "_multi"
	}
	model = strings.ReplaceAll(model, "/", "_")
	return filepath.Join(base, model+"-openai-"+s.EndpointType+"-"+stimulus(s))
}

func stimulus(s ArtifactSpec) string {
	if s.FixedSchedule {
		return "fixed_schedule"
	}
	var parts []string
	if s.Concurrency > 0 || s.RequestRate <= 0 {
		parts = append(parts, "concurrency"+strconv.Itoa(max(s.Concurrency, 1)))
	}
	if s.RequestRate > 0 {
		parts = append(parts, "request_rate"+pyRepr(s.RequestRate))
	}
	return strings.Join(parts, "-")
}

// runFiles are the files a profile run writes into its artifact directory,
// relative to it.
var runFiles = []string{CSVFile, JSONFile, JSONLFile, RawJSONLFile, InputsFile, filepath.Join(LogDir, LogFile),
	TimeslicesCSVFile, TimeslicesJSONFile}

// RemovePreviousRun deletes what an earlier run left in dir: the files of
// runFiles and extra (relative to dir, e.g. its plots), nothing else. A rerun
// calls it before writing anything, so a rerun that dies never leaves its
// inputs.json beside the old run's exports and log. It returns the files it
// removed.
func RemovePreviousRun(dir string, extra ...string) ([]string, error) {
	var removed []string
	for _, name := range append(append([]string{}, runFiles...), extra...) {
		p := filepath.Join(dir, name)
		err := os.Remove(p)
		switch {
		case err == nil:
			removed = append(removed, name)
		case !errors.Is(err, fs.ErrNotExist):
			return removed, fmt.Errorf("remove the previous run's %s: %w", p, err)
		}
	}
	return removed, nil
}
