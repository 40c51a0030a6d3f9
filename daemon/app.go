package daemon

import (
	"context"
	"fmt"
	"math/rand"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/aiperf-exporter/aiperf-exporter/collector"
	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// App is a configured daemon: its engine, registry, history and HTTP handler.
type App struct {
	Daemon        *Daemon
	Registry      *prometheus.Registry
	Handler       http.Handler
	WebConfigFile string
	Logger        *zap.Logger
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// NewApp builds the daemon for validated options: the dataset, the engine
// config of the scenario, the collector with every label value pre-created.
func NewApp(o *options.Options, s *options.Serve, log *zap.Logger) (*App, error) {
	cfg, err := probe.ConfigFrom(o, s.Scenario)
	if err != nil {
		return nil, err
	}
	seed := o.RandomSeed
	if seed == 0 {
		seed = time.Now().UnixNano()
		log.Info("random seed picked", zap.Int64("random_seed", seed))
	}
	cfg.Seed = seed
	cfg.BurstInterval = seconds(s.ProbeInterval)
	cfg.Counter = tokens.Words{}
	sugar := log.Sugar().With("scenario", s.Scenario)
	cfg.Logf = sugar.Warnf
	ds, err := inputs.Build(o, cfg.Counter, rand.New(rand.NewSource(seed)))
	if err != nil {
		return nil, fmt.Errorf("build the dataset: %w", err)
	}

	targets := make([]string, len(cfg.Targets))
	for i, t := range cfg.Targets {
		targets[i] = t.Name
	}
	reg := prometheus.NewRegistry()
	col, err := collector.New(reg, []collector.Scenario{{Name: s.Scenario, Models: o.Models, Targets: targets,
		Concurrency: cfg.Concurrency, RequestRate: cfg.RequestRate}})
	if err != nil {
		return nil, err
	}
	d := &Daemon{
		Scenarios: []Scenario{{Name: s.Scenario, Run: ProbeRun(cfg, ds)}},
		Collector: col,
		History:   NewHistory(s.HistorySize),
		Logger:    log,
		Grace:     seconds(s.ShutdownGrace),
	}
	return &App{Daemon: d, Registry: reg, Handler: NewHandler(reg, d.History, d.Ready),
		WebConfigFile: s.WebConfigFile, Logger: log}, nil
}

// Run serves HTTP on listeners and runs the probes until ctx ends; then it drains
// the probes (see Daemon.Run) while /metrics stays up, and stops the server.
// An HTTP server that fails ends the probes too.
func (a *App) Run(ctx context.Context, listeners []net.Listener) error {
	probes, stopProbes := context.WithCancel(ctx)
	defer stopProbes()
	httpCtx, stopHTTP := context.WithCancel(context.Background())
	defer stopHTTP()
	httpErr := make(chan error, 1)
	go func() {
		err := Serve(httpCtx, listeners, a.Handler, a.WebConfigFile, Slog(a.Logger))
		if err != nil {
			stopProbes()
		}
		httpErr <- err
	}()
	if err := a.Daemon.Run(probes); err != nil {
		return err
	}
	stopHTTP()
	return <-httpErr
}
