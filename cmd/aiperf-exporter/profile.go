package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/aiperf-exporter/aiperf-exporter/options"
	prof "github.com/aiperf-exporter/aiperf-exporter/profile"
	"github.com/aiperf-exporter/aiperf-exporter/sweep"
)

// runProfile is `aiperf-exporter profile`. Ctrl-C stops the run early; what was
// measured is still reported.
func runProfile(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	return profile(ctx, args, stdout, stderr)
}

// profile parses the flags and runs the profile, printing its failure as one
// line; it returns the exit code.
func profile(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	orig := args
	args, sw, err := options.SplitSweep(args)
	var s prof.Settings
	var cfg *prof.ConfigFile
	if err == nil {
		s, cfg, err = parseProfileConfig(args, nil, stdout, stderr)
	}
	if err == nil && cfg != nil { // --config's sweep lists go before the command line's flags
		if lists := cfg.SweepArgs(s.Set); lists != nil {
			args, sw, err = options.SplitSweep(append(lists, orig...))
			if err == nil {
				s, _, err = parseProfileConfig(args, cfg, stdout, io.Discard) // its warnings were printed once
			}
		}
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var plan *sweep.Plan
	if err == nil {
		plan, err = planSweep(s, sw)
	}
	var r *prof.Run
	switch {
	case err == nil && plan != nil:
		err = runSweep(ctx, s, sw, plan, stdout, stderr)
	case err == nil:
		r, err = prof.New(s)
		if err == nil {
			err = r.Execute(ctx, stdout, stderr)
		}
	}
	if err == nil {
		return 0
	}
	if cfg != nil { // a bad value the --config file gave is named by its key there
		err = cfg.Blame(err)
	}
	fmt.Fprintf(stderr, "aiperf-exporter profile: %v\n", err)
	var exit *prof.ExitError
	if errors.As(err, &exit) {
		return exit.Code
	}
	return 2 // a bad flag or variable
}
