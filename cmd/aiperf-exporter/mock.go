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

// mockSettings are the settings of the mock server, each by its flag as
// profile and serve name it (mock-server drops the "mock." prefix) and how it
// goes into the mock's Config. One table, so that validMock can name the
// setting the mock refuses.
var mockSettings = []struct {
	flag string
	set  func(c *mockserver.Config, m *options.Mock)
}{
	{"mock.ttft", func(c *mockserver.Config, m *options.Mock) { c.TTFT = millis(m.TTFTms) }},
	{"mock.itl", func(c *mockserver.Config, m *options.Mock) { c.ITL = millis(m.ITLms) }},
	// before output-tokens: an output length above it is output-tokens' fault
	{"mock.max-output-tokens", func(c *mockserver.Config, m *options.Mock) { c.MaxOutputTokens = m.MaxOutputTokens }},
	{"mock.output-tokens", func(c *mockserver.Config, m *options.Mock) { c.OutputTokens = m.OutputTokens }},
	{"mock.reasoning-tokens", func(c *mockserver.Config, m *options.Mock) { c.ReasoningTokens = m.ReasoningTokens }},
	{"mock.error-rate", func(c *mockserver.Config, m *options.Mock) { c.Faults.Error500 = m.ErrorRate }},
	{"mock.word-error-rate", func(c *mockserver.Config, m *options.Mock) { c.WordErrorRate = m.WordErrorRate }},
}

func millis(ms float64) time.Duration { return time.Duration(ms * float64(time.Millisecond)) }

// validMock is the mock server's configuration from its settings (the
// `--mock.*` flags of profile and serve, the flags of `mock-server`), and the
// mock's own error (exit 2) when it would refuse to start with them, as an
// *options.Error naming the first setting it refuses (--mock.output-tokens
// above --mock.max-output-tokens, say).
func validMock(m *options.Mock) (mockserver.Config, error) {
	var c mockserver.Config
	var err error
	for _, s := range mockSettings {
		s.set(&c, m)
		if e := c.Validate(); e != nil && err == nil {
			err = &options.Error{Flag: s.flag, Msg: e.Error()}
		}
	}
	return c, err
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
		fmt.Fprintf(stderr, "aiperf-exporter mock-server: %v\n", mockServerFlag(err))
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
