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
	"text/tabwriter"

	"github.com/kelseyhightower/envconfig"
	"github.com/prometheus/exporter-toolkit/web"
	"go.uber.org/zap"

	"github.com/aiperf-exporter/aiperf-exporter/daemon"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// mockModel is the model name used with --mock when none is given.
const mockModel = "mock-model"

// mockPrefix names the flags that shape the embedded mock (--mock.itl, ...).
const mockPrefix = "mock."

// serveMockTTFTms and serveMockITLms are serve's default mock latencies: slower
// than profile's, so a dashboard fed by `serve --mock` looks like a real server.
const serveMockTTFTms, serveMockITLms = 100, 10

// runServe is `aiperf-exporter serve`: it runs until SIGTERM or SIGINT and exits
// 0 after a graceful shutdown, 2 on a bad setting, 1 on a runtime failure.
func runServe(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	return serve(ctx, args, stdout, stderr)
}

// serve parses the settings (defaults < AIPERF_* environment < flags), builds the
// daemon and runs it until ctx ends.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var o options.Options
	var s options.Serve
	var m mockFlags
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fail := func(err error) int {
		fmt.Fprintf(stderr, "aiperf-exporter serve: %v\n", err)
		return 2
	}
	m.register(fs, mockPrefix, serveMockTTFTms, serveMockITLms)
	if _, err := parseSettings(fs, args, &o, &s); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			serveUsage(stdout, fs)
			return 0
		}
		return fail(err)
	}
	if fs.NArg() > 0 {
		return fail(fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	if o.Mock && len(o.Models) == 0 {
		o.Models = []string{mockModel}
	}
	mock := m.config()
	if err := mock.Validate(); o.Mock && err != nil {
		return fail(fmt.Errorf("--%s* (AIPERF_MOCK_*): %w", mockPrefix, err))
	}
	if err := validateServe(&s); err != nil {
		return fail(err)
	}
	// Each scenario is validated: the options alone, or every --config.file entry.
	if _, err := daemon.Scenarios(&o, &s); err != nil {
		return fail(err)
	}
	log, err := daemon.NewLogger(stderr, s.LogLevel, s.LogFormat)
	if err != nil {
		return fail(&options.Error{Flag: "log.level", Msg: err.Error()})
	}
	defer func() { _ = log.Sync() }()
	return runDaemon(ctx, &o, &s, mock, log)
}

// runDaemon runs the daemon; with --mock it first starts the embedded mock
// server shaped by mock and points every probe at it.
func runDaemon(ctx context.Context, o *options.Options, s *options.Serve, mock mockserver.Config, log *zap.Logger) int {
	if o.Mock {
		// The mock outlives ctx so in-flight probes can drain; Close ends it.
		m, err := mockserver.Start(context.WithoutCancel(ctx), "", mock, log.Named("mock"))
		if err != nil {
			log.Error("start the mock server", zap.Error(err))
			return 1
		}
		defer m.Close()
		o.URLs = []string{"mock=" + m.URL} // a stable target label across restarts
		log.Info("mock server started", zap.String("url", m.URL),
			zap.Duration("ttft", mock.TTFT), zap.Duration("itl", mock.ITL))
	}
	app, err := daemon.NewApp(o, s, log)
	if err != nil {
		log.Error("set up the daemon", zap.Error(err))
		return 2
	}
	listeners, err := daemon.Listen([]string{s.ListenAddress})
	if err != nil {
		log.Error("listen", zap.Error(err))
		return 1
	}
	log.Info("serving", zap.String("scenario", s.Scenario), zap.Strings("model", o.Models),
		zap.String("address", listeners[0].Addr().String()), zap.Int("concurrency", o.EffectiveConcurrency()),
		zap.Float64("request_rate", o.RequestRate))
	if err := app.Run(ctx, listeners); err != nil {
		log.Error("daemon stopped", zap.Error(err))
		return 1
	}
	log.Info("shut down cleanly")
	return 0
}

// validateServe checks the daemon-only settings, naming the flag and variable.
func validateServe(s *options.Serve) error {
	bad := func(flagName, format string, a ...any) error {
		return &options.Error{Flag: flagName, Msg: fmt.Sprintf(format, a...)}
	}
	switch {
	case s.HistorySize < 1:
		return bad("web.history-size", "must be >= 1, got %d", s.HistorySize)
	case s.HistorySize > daemon.MaxHistorySize:
		return bad("web.history-size", "must be <= %d, got %d", daemon.MaxHistorySize, s.HistorySize)
	case s.ShutdownGrace < 0:
		return bad("shutdown.grace-period", "must be >= 0, got %g", s.ShutdownGrace)
	case s.ProbeInterval < 0:
		return bad("probe.interval", "must be >= 0, got %g", s.ProbeInterval)
	case s.Scenario == "":
		return bad("scenario", "must not be empty")
	case s.LogFormat != "console" && s.LogFormat != "json":
		return bad("log.format", "unknown format %q (want console or json)", s.LogFormat)
	}
	switch s.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return bad("log.level", "unknown level %q (want debug, info, warn or error)", s.LogLevel)
	}
	if s.WebConfigFile != "" {
		if err := web.Validate(s.WebConfigFile); err != nil {
			return bad("web.config.file", "%v", err)
		}
	}
	return nil
}

// serveUsage prints the flags and every AIPERF_* variable with its default.
func serveUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: aiperf-exporter serve [flags]\n\n"+
		"Runs probes forever and serves what they measure on /metrics.\n"+
		"Every flag can also be set with its AIPERF_* variable; flags win over the environment.\n\nFlags:\n")
	options.PrintFlags(w, fs)
	fmt.Fprintf(w, "\nEnvironment:\n")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VARIABLE\tTYPE\tDEFAULT\tDESCRIPTION")
	const row = "{{range .}}{{usage_key .}}\t{{usage_type .}}\t{{usage_default .}}\t{{usage_description .}}\n{{end}}"
	for _, spec := range []any{&options.Options{}, &options.Serve{}} {
		if err := envconfig.Usagef(options.EnvPrefix, spec, tw, row); err != nil {
			fmt.Fprintf(w, "environment table: %v\n", err)
		}
	}
	printMockEnv(tw, fs, mockPrefix)
	_ = tw.Flush()
}
