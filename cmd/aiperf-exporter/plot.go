package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/aiperf-exporter/aiperf-exporter/plot"
)

// runPlot is `aiperf-exporter plot DIR...`: PNG charts of each artifact
// directory into DIR/plots and, given several, charts comparing them into
// --output.
func runPlot(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: aiperf-exporter plot [--output DIR] ARTIFACT_DIR...")
		fmt.Fprintln(stderr, "Writes PNG charts of each run into ARTIFACT_DIR/plots; with several runs, comparison charts into --output.")
		fs.PrintDefaults()
	}
	out := fs.String("output", "", "directory for the comparison charts (required with several directories)")
	args, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	fail := func(code int, err error) int {
		fmt.Fprintf(stderr, "aiperf-exporter plot: %v\n", err)
		return code
	}
	dirs, err := artifactDirs(args, *out, "comparing")
	if err != nil {
		return fail(2, err)
	}
	runs := make([]plot.Run, 0, len(dirs))
	for _, d := range dirs {
		r, err := plot.LoadRun(d)
		if err != nil {
			return fail(1, err)
		}
		runs = append(runs, r)
	}
	var written []string
	for _, r := range runs {
		var files []string
		var err error
		if len(runs) == 1 && *out != "" {
			files, err = plot.WriteRun(*out, r.Name, r.Records)
		} else {
			files, err = plot.WriteAll(r.Dir, r.Records)
		}
		written = append(written, files...)
		if err != nil {
			return fail(1, err)
		}
	}
	if len(runs) > 1 {
		files, err := plot.WriteComparison(*out, runs)
		written = append(written, files...)
		if err != nil {
			return fail(1, err)
		}
	}
	for _, f := range written {
		fmt.Fprintln(stdout, f)
	}
	return 0
}
