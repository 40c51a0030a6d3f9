package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"go.uber.org/zap"

	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// mockConfig is the mock server's configuration from its settings (the
// `--mock.*` flags of profile and serve, the flags of `mock-server`).
func mockConfig(m *options.Mock) mockserver.Config {
	return mockserver.Config{
		TTFT:            time.Duration(m.TTFTms * float64(time.Millisecond)),
		ITL:             time.Duration(m.ITLms * float64(time.Millisecond)),
		OutputTokens:    m.OutputTokens,
		MaxOutputTokens: m.MaxOutputTokens,
		ReasoningTokens: m.ReasoningTokens,
		Faults:          mockserver.Faults{Error500: m.ErrorRate},
		WordErrorRate:   m.WordErrorRate,
	}
}

// validMock is mockConfig, and the mock's own error (exit 2) when it would
// refuse to start with the settings (output tokens above the max output
// tokens); the caller names the settings as its command takes them.
func validMock(m *options.Mock) (mockserver.Config, error) {
	c := mockConfig(m)
	return c, c.Validate()
}

// embeddedMockError names the settings of profile's and serve's embedded
// mock in an error of validMock: their --mock.* flags and AIPERF_MOCK_*.
func embeddedMockError(err error) error {
	return fmt.Errorf("--%s* (AIPERF_MOCK_*): %w", mockPrefix, err)
}

// mockServerFlag names a setting as `mock-server` takes it: options' error
// says --mock.ttft (AIPERF_MOCK_TTFT), but mock-server's flag is --ttft and
// it reads no variables.
func mockServerFlag(err error) error {
	var oe *options.Error
	if errors.As(err, &oe) {
		return fmt.Errorf("--%s: %s", strings.TrimPrefix(oe.Flag, mockPrefix), oe.Msg)
	}
	return err
}

// runMock is `aiperf-exporter mock-server`.
func runMock(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mock-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: aiperf-exporter mock-server [flags]\n\nFlags:\n")
		options.PrintFlags(stderr, fs)
	}
	m := options.Mock{TTFTms: 20, ITLms: 5}
	addr := fs.String("addr", "127.0.0.1:8000", "listen address")
	if err := options.RegisterTrimmed(fs, &m, mockPrefix); err != nil {
		fmt.Fprintf(stderr, "aiperf-exporter mock-server: %v\n", err)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if err := options.CheckNumbers(&m); err != nil {
		fmt.Fprintf(stderr, "aiperf-exporter mock-server: %v\n", mockServerFlag(err))
		return 2
	}
	cfg, err := validMock(&m)
	if err != nil {
		fmt.Fprintf(stderr, "aiperf-exporter mock-server: %v\n", err)
		return 2
	}
	log, _ := zap.NewProduction()
	defer func() { _ = log.Sync() }()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	srv, err := mockserver.Start(ctx, *addr, cfg, log)
	if err != nil {
		fmt.Fprintf(stderr, "aiperf-exporter mock-server: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "mock server listening on %s\n", srv.URL)
	<-ctx.Done()
	srv.Close()
	return 0
}
