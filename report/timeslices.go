package report

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
)

// The --slice-duration exports, as AIPerf names them.
const (
	TimeslicesCSVFile  = "profile_export_aiperf_timeslices.csv"
	TimeslicesJSONFile = "profile_export_aiperf_timeslices.json"
)

// WriteTimeslicesCSV writes the time slices' results in AIPerf's tidy layout:
// one row per slice, metric and statistic (Timeslice,Metric,Unit,Stat,Value),
// slices in order, metrics by tag, one-value metrics as their "avg".
// slices[i] is timeslice i (see metrics.Slices.Results).
func WriteTimeslicesCSV(w io.Writer, slices []*metrics.Result) error {
	var b strings.Builder
	row := func(fields ...string) { writeCSVRow(&b, fields...) }
	row("Timeslice", "Metric", "Unit", "Stat", "Value")
	for i, res := range slices {
		idx := strconv.Itoa(i)
		for _, m := range exported(res) {
			if m.Has(metrics.AggregateMetric) {
				v := fmt.Sprintf("%.2f", m.Value)
				if m.Integer {
					v = strconv.FormatInt(m.Int, 10)
				}
				row(idx, m.Header, m.Unit, "avg", v)
				continue
			}
			for _, k := range csvStats {
				v, _ := statValue(m, k)
				row(idx, m.Header, m.Unit, k, fmt.Sprintf("%.2f", v))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteTimeslicesJSON writes {"timeslices": [{"timeslice_index": i, <tag>:
// {unit, stats}...}...], "input_config": ...} as AIPerf does; each metric as
// in profile_export_aiperf.json.
func WriteTimeslicesJSON(w io.Writer, slices []*metrics.Result, inputConfig any) error {
	list := make([]any, 0, len(slices))
	for i, res := range slices {
		o := &object{}
		o.set("timeslice_index", i)
		for _, m := range exported(res) {
			o.set(m.Tag, jsonMetric(m))
		}
		list = append(list, o)
	}
	top := &object{}
	top.set("timeslices", list)
	if inputConfig != nil {
		top.set("input_config", inputConfig)
	}
	return writeIndented(w, top, "timeslices export")
}

// WriteTimeslices writes both slice exports into dir (whole or not at all)
// and returns their absolute paths.
func WriteTimeslices(dir string, slices []*metrics.Result, info RunInfo) (csvPath, jsonPath string, err error) {
	names := info.Names.orDefault()
	csvPath, jsonPath = absPath(filepath.Join(dir, names.TimeslicesCSV)), absPath(filepath.Join(dir, names.TimeslicesJSON))
	if err := writeFile(csvPath, func(w io.Writer) error { return WriteTimeslicesCSV(w, slices) }); err != nil {
		return "", "", err
	}
	if err := writeFile(jsonPath, func(w io.Writer) error { return WriteTimeslicesJSON(w, slices, info.InputConfig) }); err != nil {
		return "", "", err
	}
	return csvPath, jsonPath, nil
}

// WriteSliceExports writes the slice exports of sl into info's directory and
// notes them on stdout; nothing when sl is nil (no --slice-duration).
func WriteSliceExports(stdout io.Writer, sl *metrics.Slices, info RunInfo) error {
	if sl == nil {
		return nil
	}
	results, err := sl.Results()
	if err != nil {
		return err
	}
	csvPath, jsonPath, err := WriteTimeslices(info.ArtifactDir, results, info)
	if err != nil {
		return err
	}
	PrintTimeslices(stdout, len(results), sl.Seconds(), csvPath, jsonPath)
	return nil
}

// PrintTimeslices is the console's note on the slice exports: AIPerf prints
// no per-slice table, only where the files are.
func PrintTimeslices(w io.Writer, n int, sliceSeconds float64, csvPath, jsonPath string) {
	fmt.Fprintf(w, "Timeslices: %d with requests, %g s each (empty ones left out)\n", n, sliceSeconds)
	fmt.Fprintf(w, "Timeslices CSV: %s\n", csvPath)
	fmt.Fprintf(w, "Timeslices JSON: %s\n", jsonPath)
}

// maxSliceSeconds is the longest slice profile takes (--slice-duration is
// at most 100 years, as every duration).
const maxSliceSeconds = 100 * 365 * 24 * 3600

// SliceSeconds is the --slice-duration a run's input_config records
// (output.slice_duration), 0 when none: `report DIR` rebuilds the slices
// from the records with it. A value profile cannot have written (not a
// number, negative, rounding to 0 ns, beyond 100 years: a hand-edited file)
// is an error naming the field.
func (s Source) SliceSeconds() (float64, error) {
	var cfg struct {
		Output struct {
			SliceDuration json.RawMessage `json:"slice_duration"`
		} `json:"output"`
	}
	if s.InputConfig == nil || json.Unmarshal(s.InputConfig, &cfg) != nil || cfg.Output.SliceDuration == nil {
		return 0, nil
	}
	var v float64
	if err := json.Unmarshal(cfg.Output.SliceDuration, &v); err != nil || v < 0 || v > maxSliceSeconds || v > 0 && v*1e9 < 1 {
		return 0, fmt.Errorf("input_config.output.slice_duration: %s is not a slice duration (seconds, at most 100 years)", cfg.Output.SliceDuration)
	}
	return v, nil
}
