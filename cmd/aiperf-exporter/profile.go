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

	prof "github.com/aiperf-exporter/aiperf-exporter/profile"
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
	s, err := parseProfile(args, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var r *prof.Run
	if err == nil {
		r, err = prof.New(s)
	}
	if err == nil {
		err = r.Execute(ctx, stdout, stderr)
	}
	if err == nil {
		return 0
	}
	fmt.Fprintf(stderr, "aiperf-exporter profile: %v\n", err)
	var exit *prof.ExitError
	if errors.As(err, &exit) {
		return exit.Code
	}
	return 2 // a bad flag or variable
}
