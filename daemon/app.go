package daemon

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"net"
	"net/http"
	"reflect"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/aiperf-exporter/aiperf-exporter/collector"
	"github.com/aiperf-exporter/aiperf-exporter/hub"
	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/internal/oneline"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// App is a configured daemon: its engine, registry, history and HTTP handler.
// Daemon and Registry are those of the configuration loaded at start; a
// reload (see Reload) may replace them, while Handler always routes to the
// current ones.
type App struct {
	Daemon        *Daemon
	Registry      *prometheus.Registry
	Handler       http.Handler
	WebConfigFile string
	Logger        *zap.Logger
	// EnableLifecycle allows POST /-/reload (--web.enable-lifecycle).
	EnableLifecycle bool
	// Health, when set, serves /-/healthy and /-/ready alone in plain HTTP
	// (--web.health-address): kubelet probes keep working when the web
	// config turns on basic auth or client certificates for everything else.
	Health net.Listener

	base    options.Options // settings from flags and environment, under each reload
	serve   options.Serve
	history *History // kept across reloads
	status  *reloadStatus
	reload  reloader
	current atomic.Pointer[generation]
}

// generation is one loaded configuration: its scenarios' daemon and the
// registry and routes that serve what they measure.
type generation struct {
	daemon   *Daemon
	registry *prometheus.Registry
	handler  http.Handler
	labels   []collector.Scenario
}

// metricsPath is --web.telemetry-path, or /metrics when unset (tests).
func metricsPath(p string) string {
	if p == "" {
		return DefaultMetricsPath
	}
	return p
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// NewApp builds the daemon for validated options: for each scenario (the
// --config.file entries, or the options alone under --scenario) the dataset and
// engine config, and the collector with every label value pre-created.
func NewApp(o *options.Options, s *options.Serve, log *zap.Logger) (*App, error) {
	return NewAppContext(context.Background(), o, s, log)
}

// NewAppContext is NewApp that stops building datasets soon after ctx ends
// (SIGTERM or Ctrl-C while long audio clips are synthesized).
func NewAppContext(ctx context.Context, o *options.Options, s *options.Serve, log *zap.Logger) (*App, error) {
	a := &App{WebConfigFile: s.WebConfigFile, Logger: log, EnableLifecycle: s.Lifecycle,
		base: *o, serve: *s, history: NewHistory(s.HistorySize), status: newReloadStatus(),
		reload: reloader{requests: make(chan chan error)}}
	g, err := a.load(ctx, nil)
	if err != nil {
		return nil, err
	}
	a.status.record(nil, time.Now())
	a.current.Store(g)
	a.Daemon, a.Registry = g.daemon, g.registry
	a.Handler = http.HandlerFunc(a.route)
	return a, nil
}

// route serves POST /-/reload itself and everything else from the current
// configuration's routes.
func (a *App) route(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/-/reload" {
		a.reloadHandler(w, r)
		return
	}
	a.current.Load().handler.ServeHTTP(w, r)
}

// load reads the scenarios (--config.file is read again) and builds them. When
// their label sets and load gauges equal prev's, prev's registry and collector
// are kept, so counters continue; otherwise a fresh registry drops the series
// of scenarios that are gone (Prometheus sees a counter reset).
func (a *App) load(ctx context.Context, prev *generation) (*generation, error) {
	scenarios, err := Scenarios(&a.base, &a.serve)
	if err != nil {
		return nil, err
	}
	var runs []Scenario
	var labels []collector.Scenario
	for i, sc := range scenarios {
		run, label, err := buildScenario(ctx, &sc, i, a.Logger)
		if err != nil {
			return nil, fmt.Errorf("scenario %q: %w", sc.Name, err)
		}
		runs = append(runs, run)
		labels = append(labels, label)
	}
	g := &generation{labels: labels}
	d := &Daemon{Scenarios: runs, History: a.history, Logger: a.Logger, Grace: seconds(a.serve.ShutdownGrace)}
	if prev != nil {
		old := prev.daemon
		d.RetryMax, d.BackoffMin, d.BackoffMax = old.RetryMax, old.BackoffMin, old.BackoffMax
		d.ready.Store(old.Ready())
	}
	if prev != nil && reflect.DeepEqual(prev.labels, labels) {
		g.registry, d.Collector = prev.registry, prev.daemon.Collector
	} else {
		g.registry = prometheus.NewRegistry()
		if d.Collector, err = collector.New(g.registry, labels); err != nil {
			return nil, err
		}
		if err := g.registry.Register(a.status); err != nil {
			return nil, fmt.Errorf("register reload metrics: %w", err)
		}
		if err := g.registry.Register(collector.NewBudgetCollector(probe.ResponseBudgetState)); err != nil {
			return nil, fmt.Errorf("register response budget metrics: %w", err)
		}
	}
	g.daemon = d
	g.handler = newHandler(g.registry, a.history, d.Ready, d.Failures, metricsPath(a.serve.MetricsPath))
	return g, nil
}

// buildScenario makes one scenario's engine run and its collector labels.
func buildScenario(ctx context.Context, sc *ScenarioConfig, i int, log *zap.Logger) (Scenario, collector.Scenario, error) {
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
	counter, warning, err := tokens.Resolve(ctx, tokens.Source{Tokenizer: o.Tokenizer, Revision: o.TokenizerRevision, Models: o.Models, Mock: o.Mock}, hubClient)
	if err != nil {
		return Scenario{}, collector.Scenario{}, err
	}
	if warning != "" {
		log.Warn(warning, zap.String("scenario", sc.Name))
	}
	cfg.Counter = counter
	cfg.PreferUsage = cfg.PreferUsage && counter.Name() == (tokens.Words{}).Name()
	warn := log.Sugar().With("scenario", sc.Name).Warn
	cfg.Logf = func(format string, a ...any) { warn(oneline.Escape(fmt.Sprintf(format, a...))) }
	ds, err := inputs.BuildContext(ctx, o, cfg.Counter, rand.New(rand.NewSource(seed)))
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
	b := new(backoff) // configured by Daemon.runScenario
	cfg.Skip = b.skip
	return Scenario{Name: sc.Name, Run: ProbeRun(cfg, ds), Concurrency: cfg.Concurrency, Targets: targets, backoff: b},
		collector.Scenario{Name: sc.Name, Models: o.Models, Targets: targets,
			Concurrency: cfg.Concurrency, RequestRate: cfg.RequestRate}, nil
}

// Run serves HTTP on listeners and runs the probes until ctx ends; then it drains
// the probes (see Daemon.Run) while /metrics stays up, and stops the server.
// An HTTP server that fails ends the probes too. Reload requests are served
// in between (see runConfigs).
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
	healthErr := make(chan error, 1)
	if a.Health != nil {
		go func() { healthErr <- serveHealth(httpCtx, a.Health, a.Handler) }()
	} else {
		healthErr <- nil
	}
	if err := a.runConfigs(probes); err != nil {
		return err
	}
	stopHTTP()
	return errors.Join(<-httpErr, <-healthErr)
}

// serveHealth serves only /-/healthy and /-/ready of h on l, in plain HTTP,
// until ctx ends; every other path is 404, so no measurement leaves this way.
func serveHealth(ctx context.Context, l net.Listener, h http.Handler) error {
	mux := http.NewServeMux()
	mux.Handle("/-/healthy", h)
	mux.Handle("/-/ready", h)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve health: %w", err)
	}
	return nil
}

// runConfigs runs the current configuration until ctx ends. On a reload
// request it builds the new configuration first: if that fails, the running
// scenarios carry on untouched; if it works, the running scenarios stop
// scheduling, their in-flight probes finish (within the grace period) and are
// counted, and the new scenarios start.
func (a *App) runConfigs(ctx context.Context) error {
	g := a.current.Load()
	for {
		genCtx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func(d *Daemon) { done <- d.Run(genCtx) }(g.daemon)
		var next *generation
		for next == nil {
			select {
			case err := <-done:
				stop()
				return err
			case reply := <-a.reload.requests:
				n, err := a.load(ctx, g)
				a.status.record(err, time.Now())
				if err != nil {
					a.Logger.Error("reload failed; the running scenarios carry on", zap.Error(err))
					reply <- err
					continue
				}
				a.Logger.Info("reloading: the running scenarios stop and drain")
				stop()
				if err := <-done; err != nil {
					reply <- err
					return err
				}
				next = n
				a.current.Store(next)
				names := make([]string, len(next.labels))
				for i, l := range next.labels {
					names[i] = l.Name
				}
				a.history.Keep(names) // a removed scenario leaves the landing page
				a.Logger.Info("configuration reloaded", zap.Strings("scenario", names))
				reply <- nil
			}
		}
		stop()
		g = next
		if ctx.Err() != nil {
			return nil
		}
	}
}
