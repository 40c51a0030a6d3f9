package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/record"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// runReport is `aiperf-exporter report DIR...`: it reads the records of one or
// more artifact directories and writes one exact report over their union, so
// shards of a large run merge into the report one run would have given.
func runReport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("output", "", "directory for the merged report (default: the only input directory)")
	goodput := fs.String("goodput", "", "SLOs 'tag:value ...' for goodput")
	args, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	fail := func(code int, err error) int {
		fmt.Fprintf(stderr, "aiperf-exporter report: %v\n", err)
		return code
	}
	dirs, err := artifactDirs(args, *out, "merging")
	if err != nil {
		return fail(2, err)
	}
	if *out == "" {
		*out = dirs[0]
	}
	if cells, ok := sweepCells(dirs[0]); ok { // shards of a sweep: merged setting by setting
		return runSweepReport(dirs, cells, *out, *goodput, stdout, stderr)
	}
	var slos map[string]float64
	if *goodput != "" {
		if slos, err = metrics.ParseGoodput(*goodput); err != nil {
			return fail(2, fmt.Errorf("--goodput: %w", err))
		}
	}
	// Each directory's records file, named as its run named it (--profile-export-prefix).
	records := make([]string, len(dirs))
	for i, d := range dirs { // before --output is created: a mistyped directory stays uncreated
		names, err := report.FindNames(d)
		if err != nil {
			return fail(1, err)
		}
		records[i] = filepath.Join(d, names.JSONL)
		if _, err := os.Stat(records[i]); err != nil {
			return fail(1, fmt.Errorf("read records: %w", err))
		}
	}
	outNames, err := report.FindNames(*out) // a re-rendered run keeps its names
	if err != nil {
		return fail(1, err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fail(1, fmt.Errorf("--output: %w", err))
	}
	// The records stream from the inputs into a new JSONL, renamed over the
	// output's at the end (in place, it is also an input).
	acc, err := metrics.NewAccumulator(metrics.AggregateOptions{Goodput: slos, ScratchDir: *out})
	if err != nil {
		return fail(1, err)
	}
	defer acc.Close()
	var tally report.Tally
	tmp := filepath.Join(*out, outNames.JSONL+".tmp")
	jsonl, err := report.CreateRecordFile(tmp, false)
	if err != nil {
		return fail(1, err)
	}
	defer os.Remove(tmp)
	defer jsonl.Close()
	truncated, read := 0, 0
	var kinds runKinds
	srcs := make([]report.Source, 0, len(dirs))
	// The --slice-duration slices, rebuilt from the records; set in the loop.
	var slices *metrics.Slices
	defer func() { slices.Close() }()
	for i, d := range dirs {
		src, _, err := report.ReadSource(d) // what the records cannot rebuild
		if err != nil {
			return fail(1, err)
		}
		srcs = append(srcs, src)
		if slices == nil {
			if slices, err = sourceSlices(src, slos, *out); err != nil {
				return fail(1, fmt.Errorf("%s: %w", d, err))
			}
		}
		n, err := report.EachRecord(records[i], func(r *record.Record) {
			read++
			kinds.add(r)
			acc.Add(r)
			tally.Add(r)
			jsonl.Add(r)
			slices.Add(r)
		})
		if err != nil {
			return fail(1, err)
		}
		truncated += n
	}
	if err := nothingToReport(records, read, acc.Count()); err != nil { // before any export is touched
		return fail(1, err)
	}
	if err := kinds.checkGoodput(slos); err != nil {
		return fail(2, err)
	}
	if err := jsonl.Close(); err != nil {
		return fail(1, err)
	}
	info := report.RunInfo{CLICommand: "aiperf-exporter report " + options.EchoCommand(args), ArtifactDir: *out, Tally: &tally, Names: outNames,
		EndpointType: kinds.endpoint}
	report.MergeSources(srcs).Apply(&info)
	res, err := acc.Result()
	if err != nil {
		return fail(1, err)
	}
	res.WasCancelled = info.Cancelled
	p, err := report.WriteSummary(*out, res, info)
	if err != nil {
		return fail(1, err)
	}
	if err := os.Rename(tmp, p.JSONL); err != nil {
		return fail(1, err)
	}
	if err := report.WriteConsole(stdout, res, info); err != nil {
		return fail(1, err)
	}
	if err := report.WriteSliceExports(stdout, slices, info); err != nil {
		return fail(1, err)
	}
	report.WarnPartial(stdout, info.Partial, acc.Count(), truncated)
	report.WarnSkippedEvents(stdout, tally.Skipped)
	report.WarnDropped(stdout, info.DroppedLateRequests)
	return 0
}

// nothingToReport refuses a report over no measured record (an empty or
// cut-short records file, only warmup requests or requests that ended late):
// rewriting the exports from it would replace a run's results with nothing,
// and profile exits 1 when nothing is left as well.
func nothingToReport(records []string, read, counted int) error {
	files := strings.Join(records, ", ")
	switch {
	case read == 0:
		return fmt.Errorf("no records in %s", files)
	case counted == 0:
		return fmt.Errorf("no measured records in %s: all %d are warmup requests or ended after the run's duration", files, read)
	}
	return nil
}

// parseInterspersed parses fs's flags wherever they stand among args (`report
// DIR... --output X` as well as `report --output X DIR...`; the flag package
// alone stops at the first directory) and returns the other arguments.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// artifactDirs checks the directory arguments of `report` and `plot`: at least
// one, and an --output when there are several (what says what they are for).
func artifactDirs(dirs []string, out, what string) ([]string, error) {
	switch {
	case len(dirs) == 0:
		return nil, errors.New("give at least one artifact directory")
	case len(dirs) > 1 && out == "":
		return nil, fmt.Errorf("--output is required when %s several directories", what)
	}
	return dirs, nil
}

// runKinds is what the records say of how they were run: streamed or not,
// and the endpoint type, for the SLO check.
type runKinds struct {
	streaming bool
	endpoint  string
}

func (k *runKinds) add(r *record.Record) {
	k.streaming = k.streaming || r.Streaming
	if k.endpoint == "" {
		k.endpoint = r.EndpointType
	}
}

// checkGoodput refuses SLOs on metrics the records cannot have (ITL of a run
// without streaming, ISL of a transcription run), as profile does before a run.
func (k *runKinds) checkGoodput(slos map[string]float64) error {
	if len(slos) == 0 {
		return nil
	}
	if err := metrics.CheckGoodput(slos, k.streaming, k.endpoint); err != nil {
		return fmt.Errorf("--goodput: %w", err)
	}
	return nil
}
