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

// mockFlags are the mock server's settings, shared by `mock-server` and the
// `--mock.*` flags of `profile` and `serve`.
type mockFlags struct {
	ttftMs, itlMs float64
	outputTokens  int
	reasoning     int
	errorRate     float64
	wordErrorRate float64
	seed          int64
}

func (m *mockFlags) register(fs *flag.FlagSet, prefix string, ttftMs, itlMs float64) {
	fs.Float64Var(&m.ttftMs, prefix+"ttft", ttftMs, "mock: time to first token in ms")
	fs.Float64Var(&m.itlMs, prefix+"itl", itlMs, "mock: inter-token latency in ms")
	fs.IntVar(&m.outputTokens, prefix+"output-tokens", 0, "mock: output length when the request asks none (0 = 0.8-1.2x the prompt, min 16)")
	fs.IntVar(&m.reasoning, prefix+"reasoning-tokens", 0, "mock: stream the first K tokens as reasoning_content")
	fs.Float64Var(&m.errorRate, prefix+"error-rate", 0, "mock: share 0..1 of requests answered with HTTP 500")
	fs.Float64Var(&m.wordErrorRate, prefix+"word-error-rate", 0, "mock: share 0..1 of words it gets wrong when it answers a clip of the speech set (--audio-source speech)")
}

// loadMockEnv sets the flags registered under prefix from their AIPERF_*
// variables (AIPERF_MOCK_ITL for --mock.itl). Call it before fs.Parse, so
// flags given on the command line still win over the environment.
func loadMockEnv(fs *flag.FlagSet, prefix string) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if err != nil || !strings.HasPrefix(f.Name, prefix) {
			return
		}
		name := options.EnvName(f.Name)
		if v, ok := os.LookupEnv(name); ok {
			if f.Value.Set(v) != nil {
				typ, _ := flag.UnquoteUsage(f)
				err = fmt.Errorf("%s=%q: not a valid %s for --%s", name, v, typ, f.Name)
			}
		}
	})
	return err
}

// printMockEnv writes a tab-separated row (variable, type, default, help) for
// each flag registered under prefix, as serve's environment table lists them.
func printMockEnv(w io.Writer, fs *flag.FlagSet, prefix string) {
	fs.VisitAll(func(f *flag.Flag) {
		if strings.HasPrefix(f.Name, prefix) {
			typ, usage := flag.UnquoteUsage(f)
			if t, ok := map[string]string{"float": "Float", "int": "Integer"}[typ]; ok {
				typ = t // envconfig's spelling, as in the rest of the table
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", options.EnvName(f.Name), typ, f.DefValue, usage)
		}
	})
}

func (m *mockFlags) config() mockserver.Config {
	return mockserver.Config{
		TTFT:            time.Duration(m.ttftMs * float64(time.Millisecond)),
		ITL:             time.Duration(m.itlMs * float64(time.Millisecond)),
		OutputTokens:    m.outputTokens,
		ReasoningTokens: m.reasoning,
		Faults:          mockserver.Faults{Error500: m.errorRate},
		WordErrorRate:   m.wordErrorRate,
		Seed:            m.seed,
	}
}

// runMock is `aiperf-exporter mock-server`.
func runMock(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mock-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var m mockFlags
	addr := fs.String("addr", "127.0.0.1:8000", "listen address")
	m.register(fs, "", 20, 5)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	log, _ := zap.NewProduction()
	defer func() { _ = log.Sync() }()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	srv, err := mockserver.Start(ctx, *addr, m.config(), log)
	if err != nil {
		fmt.Fprintf(stderr, "aiperf-exporter mock-server: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "mock server listening on %s\n", srv.URL)
	<-ctx.Done()
	srv.Close()
	return 0
}
