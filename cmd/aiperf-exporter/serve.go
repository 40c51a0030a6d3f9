package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/coreos/go-systemd/v22/activation"
	"github.com/kelseyhightower/envconfig"
	"github.com/prometheus/exporter-toolkit/web"
	"go.uber.org/zap"

	"github.com/aiperf-exporter/aiperf-exporter/daemon"
	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
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
// SIGHUP reloads the configuration (it would otherwise end the process).
func runServe(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	return serveWith(ctx, args, stdout, stderr, hup)
}

// serve is serveWith without reloads on a signal.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return serveWith(ctx, args, stdout, stderr, nil)
}

// serveWith parses the settings (defaults < AIPERF_* environment < flags), builds
// the daemon and runs it until ctx ends, reloading the configuration on each
// value from reload.
func serveWith(ctx context.Context, args []string, stdout, stderr io.Writer, reload <-chan os.Signal) int {
	var o options.Options
	var s options.Serve
	m := options.Mock{TTFTms: serveMockTTFTms, ITLms: serveMockITLms}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fail := func(err error) int {
		fmt.Fprintf(stderr, "aiperf-exporter serve: %v\n", err)
		return 2
	}
	if _, err := options.Parse(fs, args, &o, &s, &m); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			serveUsage(stdout, fs)
			return 0
		}
		return fail(err)
	}
	if fs.NArg() > 0 {
		return fail(fmt.Errorf("unexpected argument %s", clip.Quote(fs.Arg(0))))
	}
	if o.Mock && len(o.Models) == 0 {
		o.Models = []string{mockModel}
	}
	if err := options.CheckNumbers(&m); err != nil {
		return fail(err)
	}
	mock, err := validMock(&m)
	if o.Mock && err != nil {
		return fail(err)
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
	for _, name := range options.UnknownEnv(os.Environ(), &o, &s, &m) {
		log.Warn("environment variable names no setting of serve; it is ignored (see --help for the AIPERF_* names)",
			zap.String("variable", name))
	}
	return runDaemon(ctx, &o, &s, mock, log, reload)
}

// runDaemon runs the daemon; with --mock it first starts the embedded mock
// server shaped by mock and points every probe at it. Each signal from reload
// reloads the configuration (App.Reload logs the outcome).
func runDaemon(ctx context.Context, o *options.Options, s *options.Serve, mock mockserver.Config, log *zap.Logger, reload <-chan os.Signal) int {
	if o.Mock {
		// /v1/models lists the run's models, so --wait-for-model-mode models
		// succeeds. Scenarios of a --config.file may name any model (and a
		// reload others still): the mock then accepts any and lists mock-model.
		if len(mock.Models) == 0 && s.ConfigFile == "" {
			mock.Models = o.Models
		}
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
	app, err := daemon.NewAppContext(ctx, o, s, log)
	if err != nil && ctx.Err() != nil {
		log.Info("stopped while setting up, before any probe", zap.Error(err))
		return 0
	}
	if err != nil {
		log.Error("set up the daemon", zap.Error(err))
		return 2
	}
	listeners, err := listen(s)
	if err != nil {
		log.Error("listen", zap.Error(err))
		return 1
	}
	if s.HealthAddr != "" {
		health, err := daemon.Listen([]string{s.HealthAddr})
		if err != nil {
			log.Error("listen for health probes", zap.Error(err))
			return 1
		}
		app.Health = health[0]
		log.Info("serving health probes", zap.String("address", health[0].Addr().String()))
	}
	log.Info("serving", zap.String("scenario", s.Scenario), zap.Strings("model", o.Models),
		zap.Strings("address", addresses(listeners)), zap.String("metrics_path", s.MetricsPath),
		zap.Int("concurrency", o.EffectiveConcurrency()),
		zap.Float64("request_rate", o.RequestRate))
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case sig := <-reload:
				log.Info("reloading the configuration", zap.String("signal", sig.String()))
				_ = app.Reload(ctx)
			}
		}
	}()
	if err := app.Run(ctx, listeners); err != nil {
		log.Error("daemon stopped", zap.Error(err))
		return 1
	}
	log.Info("shut down cleanly")
	return 0
}

// listen opens the listeners for /metrics and the landing page: the sockets
// systemd passed (--web.systemd-socket), or one per --web.listen-address.
func listen(s *options.Serve) ([]net.Listener, error) {
	if !s.SystemdSocket {
		return daemon.Listen(s.ListenAddress)
	}
	ls, err := activation.Listeners()
	if err != nil {
		return nil, fmt.Errorf("systemd socket activation: %w", err)
	}
	var out []net.Listener
	for _, l := range ls {
		if l != nil {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("--web.systemd-socket: systemd passed no listening socket (LISTEN_FDS)")
	}
	return out, nil
}

func addresses(ls []net.Listener) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Addr().String()
	}
	return out
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
	case len(s.ListenAddress) == 0 && !s.SystemdSocket:
		return bad("web.listen-address", "must name at least one address")
	case !strings.HasPrefix(s.MetricsPath, "/") || s.MetricsPath == "/" || strings.HasPrefix(s.MetricsPath, "/-/"):
		return bad("web.telemetry-path", "must be a path such as /metrics, not / or under /-/, got %s", clip.Quote(s.MetricsPath))
	case s.LogFormat != "console" && s.LogFormat != "json":
		return bad("log.format", "unknown format %s (want console or json)", clip.Quote(s.LogFormat))
	}
	switch s.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return bad("log.level", "unknown level %s (want debug, info, warn or error)", clip.Quote(s.LogLevel))
	}
	if err := options.CheckNumbers(s); err != nil {
		return err
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
	// The mock's TTFT and ITL defaults are serve's own, held by the struct, not a tag.
	const mockRow = "{{range .}}{{usage_key .}}\t{{usage_type .}}\t{{or (usage_default .) .Field}}\t{{usage_description .}}\n{{end}}"
	for _, spec := range []struct {
		ptr any
		row string
	}{{&options.Options{}, row}, {&options.Serve{}, row}, {&options.Mock{TTFTms: serveMockTTFTms, ITLms: serveMockITLms}, mockRow}} {
		var rows strings.Builder // envconfig reads the desc tags itself: expand them here
		if err := envconfig.Usagef("", spec.ptr, &rows, spec.row); err != nil {
			fmt.Fprintf(w, "environment table: %v\n", err)
		}
		_, _ = io.WriteString(tw, options.ExpandDesc(rows.String()))
	}
	_ = tw.Flush()
}
