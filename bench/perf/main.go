//go:build linux

// Command perf runs the performance benchmarks of docs/performance.md. The
// orchestrator (`perf all`, run by bench/run.sh) starts the mock server and
// each load in its own process, so one measurement's memory and garbage never
// leak into another's, and writes the table of target vs measured.
//
// Subcommands: all (orchestrate), truth, scale, pace, raw, scrape (one
// measurement each, printing one JSON result line).
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime/pprof"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: perf all|truth|scale|pace|raw [flags]")
		os.Exit(2)
	}
	modes := map[string]func([]string) (any, error){
		"all": runAll, "truth": runTruth, "scale": runScale, "pace": runPace, "raw": runRaw,
		"kstamps": runKStamps, "hog": runHog,
		"scrape": func([]string) (any, error) { return measureScrape(10, scrapesPerRound) },
	}
	run, ok := modes[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "perf: unknown subcommand %q\n", os.Args[1])
		os.Exit(2)
	}
	if path := os.Getenv("PERF_CPUPROFILE"); path != "" { // for finding what to optimise
		f, err := os.Create(path)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	res, err := run(os.Args[2:])
	if err != nil {
		fmt.Fprintf(os.Stderr, "perf %s: %v\n", os.Args[1], err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
	if res != nil {
		if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
			fmt.Fprintf(os.Stderr, "perf %s: %v\n", os.Args[1], err)
			os.Exit(1)
		}
	}
}
