package report

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Names are the export files' names inside an artifact directory: AIPerf's
// defaults, or all derived from --profile-export-prefix (its alias
// --profile-export-file). The zero Names means the defaults.
type Names struct {
	CSV, JSON, JSONL, RawJSONL          string
	TimeslicesCSV, TimeslicesJSON       string
	ServerMetricsJSON, ServerMetricsCSV string
}

// DefaultNames are AIPerf's names without a prefix.
func DefaultNames() Names {
	return Names{
		CSV: CSVFile, JSON: JSONFile, JSONL: JSONLFile, RawJSONL: RawJSONLFile,
		TimeslicesCSV: TimeslicesCSVFile, TimeslicesJSON: TimeslicesJSONFile,
		ServerMetricsJSON: ServerMetricsJSONFile, ServerMetricsCSV: ServerMetricsCSVFile,
	}
}

// prefixSuffixes are stripped from a prefix, longest first, so that
// "run_raw.jsonl" or "run.csv" names the same files as "run" (AIPerf's
// OutputConfig does the same).
var prefixSuffixes = []string{
	"_server_metrics.parquet", "_server_metrics.jsonl", "_server_metrics.json", "_server_metrics.csv",
	"_gpu_telemetry.jsonl", "_timeslices.csv", "_timeslices.json", "_raw.jsonl",
	".parquet", ".csv", ".json", ".jsonl",
}

// NamesFor returns the names --profile-export-prefix gives: <p>.csv,
// <p>.json, <p>.jsonl, <p>_raw.jsonl, <p>_timeslices.csv/.json and
// <p>_server_metrics.json/.csv, after one known suffix is stripped from p.
// Only the last path element counts: the files stay in the artifact
// directory, as AIPerf keeps them when given an absolute path. An empty
// prefix gives the defaults.
func NamesFor(prefix string) (Names, error) {
	if prefix == "" {
		return DefaultNames(), nil
	}
	base := filepath.Base(prefix)
	for _, s := range prefixSuffixes {
		if strings.HasSuffix(base, s) {
			base = strings.TrimSuffix(base, s)
			break
		}
	}
	if base == "" || base == "." || base == ".." || base == string(filepath.Separator) {
		return Names{}, fmt.Errorf("%q leaves no file name", prefix)
	}
	return Names{
		CSV: base + ".csv", JSON: base + ".json", JSONL: base + ".jsonl", RawJSONL: base + "_raw.jsonl",
		TimeslicesCSV: base + "_timeslices.csv", TimeslicesJSON: base + "_timeslices.json",
		ServerMetricsJSON: base + "_server_metrics.json", ServerMetricsCSV: base + "_server_metrics.csv",
	}, nil
}

// orDefault is n, or the defaults when n is the zero Names.
func (n Names) orDefault() Names {
	if n == (Names{}) {
		return DefaultNames()
	}
	return n
}

// Files is every name in n, for RemovePreviousRun.
func (n Names) Files() []string {
	n = n.orDefault()
	return []string{n.CSV, n.JSON, n.JSONL, n.RawJSONL, n.TimeslicesCSV, n.TimeslicesJSON, n.ServerMetricsJSON, n.ServerMetricsCSV}
}

// FindNames tells which names a run wrote into dir, for readers such as
// `report DIR` and plot: the defaults when dir holds profile_export.jsonl or
// no records at all, else those of its only other records file (a .jsonl that
// is not a _raw, _gpu_telemetry or _server_metrics one). Several such files
// are an error naming them, as it cannot tell which run is meant.
func FindNames(dir string) (Names, error) {
	if _, err := os.Stat(filepath.Join(dir, JSONLFile)); err == nil {
		return DefaultNames(), nil
	}
	matches, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil {
		return Names{}, err
	}
	var records []string
	for _, m := range matches {
		if sideJSONL(filepath.Base(m)) {
			continue
		}
		name := filepath.Base(m)
		records = append(records, name)
	}
	sort.Strings(records)
	switch len(records) {
	case 0:
		return DefaultNames(), nil
	case 1:
		return NamesFor(records[0])
	default:
		return Names{}, fmt.Errorf("%s holds several records files (%s): give each run its own directory", dir, strings.Join(records, ", "))
	}
}

// sideJSONL tells a run's other JSONL files from its records file: the raw
// records, GPU telemetry and server metrics (each <prefix>_<kind>.jsonl), the
// accuracy grades (accuracy_export.jsonl, <prefix>_accuracy.jsonl) and the
// network-latency probes (profile_export_network_latency.jsonl, one name).
func sideJSONL(name string) bool {
	for _, suffix := range []string{"_raw.jsonl", "_gpu_telemetry.jsonl", "_server_metrics.jsonl", "_accuracy.jsonl"} {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return name == "accuracy_export.jsonl" || name == "profile_export_network_latency.jsonl"
}

// HasRecords tells whether dir holds a run's records file, under the default
// name or a --profile-export-prefix one.
func HasRecords(dir string) bool {
	names, err := FindNames(dir)
	if err != nil {
		return true // several records files: a run's directory all the same
	}
	_, err = os.Stat(filepath.Join(dir, names.JSONL))
	return err == nil
}
