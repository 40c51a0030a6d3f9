// Command aiperf-exporter measures an audio-capable OpenAI-compatible LLM
// server: `profile` reproduces NVIDIA AIPerf's report once, `serve` keeps
// probing and exposes Prometheus histograms, `mock-server` runs the embedded mock,
// `report` and `plot` rebuild a report and charts from runs' records. It is
// wiring only: each command's work lives in its package.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/prometheus/common/version"

	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
)

const usage = `Usage: aiperf-exporter COMMAND [flags]

Commands:
  profile      run once and write AIPerf's report (console, CSV, JSON, JSONL)
  serve        probe continuously and serve Prometheus metrics on /metrics
  report DIR…  re-render a report from one or more artifact directories (merges shards)
  plot DIR…    write PNG charts of one or more artifact directories (compares several)
  mock-server  run the embedded OpenAI-compatible mock server
  version      print the version

Run 'aiperf-exporter COMMAND --help' for a command's flags.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches a subcommand and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "profile":
		return runProfile(rest, stdout, stderr)
	case "serve":
		return runServe(rest, stdout, stderr)
	case "report":
		return runReport(rest, stdout, stderr)
	case "plot":
		return runPlot(rest, stdout, stderr)
	case "mock-server":
		return runMock(rest, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, version.Print("aiperf-exporter"))
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "aiperf-exporter: unknown command %s\n\n%s", clip.Quote(cmd), usage)
		return 2
	}
}
