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
	"github.com/aiperf-exporter/aiperf-exporter/hub"
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

// NewApp builds the daemon for validated options: for each scenario (the
// --config.file entries, or the options alone under --scenario) the dataset and
// engine config, and the collector with every label value pre-created.
func NewApp(o *options.Options, s *options.Serve, log *zap.Logger) (*App, error) {
	scenarios, err := Scenarios(o, s)
	if err != nil {
		return nil, err
	}
	var runs []Scenario
	var labels []collector.Scenario
	for i, sc := range scenarios {
		run, label, err := buildScenario(&sc, i, log)
		if err != nil {
			return nil, fmt.Errorf("scenario %q: %w", sc.Name, err)
		}
		runs = append(runs, run)
		labels = append(labels, label)
	}
	reg := prometheus.NewRegistry()
	col, err := collector.New(reg, labels)
	if err != nil {
		return nil, err
	}
	d := &Daemon{
		Scenarios: runs,
		Collector: col,
		History:   NewHistory(s.HistorySize),
		Logger:    log,
		Grace:     seconds(s.ShutdownGrace),
	}
	return &App{Daemon: d, Registry: reg, Handler: NewHandler(reg, d.History, d.Ready),
		WebConfigFile: s.WebConfigFile, Logger: log}, nil
}

// buildScenario makes one scenario's engine run and its collector labels.
func buildScenario(sc *ScenarioConfig, i int, log *zap.Logger) (Scenario, collector.Scenario, error) {
	o := &sc.Options
	cfg, err := probe.ConfigFrom(o, sc.Name)
	if err != nil {
		return Scenario{}, collector.Scenario{}, err
	}
	seed := o.RandomSeed
	if seed == 0 {
		seed = time.Now().UnixNano() + int64(i)
		log.Info("random seed picked", zap.String("scenario", sc.Name), zap.Int64("random_seed", seed))
	}
	cfg.Seed = seed
	cfg.BurstInterval = seconds(sc.ProbeInterval)
	hubClient, err := hub.FromEnv()
	if err != nil {
		return Scenario{}, collector.Scenario{}, err
	}
	counter, warning, err := tokens.Resolve(context.Background(), tokens.Source{Tokenizer: o.Tokenizer, Revision: o.TokenizerRevision, Models: o.Models, Mock: o.Mock}, hubClient)
	if err != nil {
		return Scenario{}, collector.Scenario{}, err
	}
	if warning != "" {
		log.Warn(warning, zap.String("scenario", sc.Name))
	}
	cfg.Counter = counter
	cfg.PreferUsage = cfg.PreferUsage && counter.Name() == (tokens.Words{}).Name()
	cfg.Logf = log.Sugar().With("scenario", sc.Name).Warnf
	ds, err := inputs.Build(o, cfg.Counter, rand.New(rand.NewSource(seed)))
	if err != nil {
		return Scenario{}, collector.Scenario{}, fmt.Errorf("build the dataset: %w", err)
	}
	if err := probe.Check(cfg, ds); err != nil {
		return Scenario{}, collector.Scenario{}, err
	}
	targets := make([]string, len(cfg.Targets))
	for j, t := range cfg.Targets {
		targets[j] = t.Name
	}
	log.Info("scenario", zap.String("scenario", sc.Name), zap.Strings("model", o.Models), zap.Strings("target", targets),
		zap.Int("concurrency", cfg.Concurrency), zap.Float64("request_rate", cfg.RequestRate),
		zap.Duration("probe_interval", cfg.BurstInterval))
	return Scenario{Name: sc.Name, Run: ProbeRun(cfg, ds), Concurrency: cfg.Concurrency},
		collector.Scenario{Name: sc.Name, Models: o.Models, Targets: targets,
			Concurrency: cfg.Concurrency, RequestRate: cfg.RequestRate}, nil
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
