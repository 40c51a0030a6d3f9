// Package profile is `aiperf-exporter profile`: one run against a server (or
// the embedded mock), reported as AIPerf reports it, as package daemon is
// `serve`. cmd/aiperf-exporter parses the flags into Settings; New checks
// them and Execute runs, returning an *ExitError that carries the exit code.
package profile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/aiperf-exporter/aiperf-exporter/accuracy"
	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/plot"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
	"github.com/aiperf-exporter/aiperf-exporter/record"
	"github.com/aiperf-exporter/aiperf-exporter/report"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
	"github.com/aiperf-exporter/aiperf-exporter/upload/mlflow"
)

// Execute runs the profile: the dataset, the requests, the records streamed to
// the artifact directory, then the report on stdout and in the directory.
// Ctrl-C (ctx ending) stops the run early; what was measured is still
// reported. The error, if any, is an *ExitError.
func (r *Run) Execute(ctx context.Context, stdout, stderr io.Writer) error {
	var mockURL string
	if r.o.Mock {
		mock := r.mock
		if len(mock.Models) == 0 { // /v1/models lists the run's models: --wait-for-model-mode models
			mock.Models = r.o.Models
		}
		// Not ended by ctx (Ctrl-C, SIGTERM): the final server-metrics and GPU
		// scrape after the run still reads it. It goes when Execute returns.
		m, err := mockserver.Start(context.WithoutCancel(ctx), "", mock, nil)
		if err != nil {
			return exit(1, err)
		}
		defer m.Close()
		r.o.URLs = []string{"mock=" + m.URL}
		mockURL = m.URL
	}
	cfg, ds, err := r.prepare(ctx, stderr)
	if err != nil {
		return err
	}
	scrapes, err := planServerMetrics(&r.p, cfg, r.o.EndpointPath(), mockURL)
	if err != nil {
		return exit(2, err)
	}
	hooks := r.control
	if err := hooks.bind(cfg); err != nil {
		return exit(2, err)
	}
	if err := r.netLat.bind(cfg); err != nil {
		return exit(2, err)
	}
	dir := report.ArtifactDir(report.ArtifactSpec{
		Base: r.p.ArtifactDir, Explicit: r.set["artifact-dir"], Models: r.o.Models, EndpointType: r.o.EndpointType,
		Concurrency: r.o.Concurrency, RequestRate: r.o.RequestRate, FixedSchedule: cfg.FixedSchedule,
	})
	log, closeLog, err := r.openArtifacts(ctx, dir, ds)
	if err != nil {
		return err
	}
	defer closeLog()
	cfg.Logf = func(format string, a ...any) { log.Warn(fmt.Sprintf(format, a...)) }
	info := report.RunInfo{CLICommand: r.command(), ArtifactDir: dir, InputConfig: r.inputConfig(dir, cfg), Names: r.names,
		EndpointType: r.o.EndpointType}

	if err := hooks.reset(ctx); err != nil {
		log.Error("KV-cache reset failed; nothing was sent", zap.Error(err))
		return exit(1, err)
	} else if hooks != nil && hooks.resetPath != "" {
		log.Info("KV cache reset", zap.String("path", hooks.resetPath), zap.Int("servers", len(hooks.poster.Origins)))
	}
	prog := newProgress(stderr, cfg.RequestCount)
	api, err := r.startAPI(prog)
	if err != nil {
		return err
	}
	defer api.stop()
	if err := r.netLat.open(dir); err != nil {
		return exit(1, err)
	}
	runCtx, abortRun := context.WithCancel(ctx) // a failed profiler start stops the run
	defer abortRun()
	sm := scrapes.start(func(msg string) { log.Warn(msg) })
	cfg.OnProfiling = hooks.onProfiling(runCtx, abortRun, r.netLat.onProfiling(prog.onProfiling(sm.onProfiling())))
	ot := r.startOTel(ctx, &cfg)
	defer func() { ot.finish(ctx, info.Cancelled, stdout, log) }() // after the exports are written
	rec, err := r.measure(runCtx, cfg, ds, &info, log, prog, ot)
	rtt, adjust, netErr := r.netLat.finish()
	if err := hooks.stopProfiler(ctx); err != nil {
		log.Warn(err.Error())
		fmt.Fprintln(stderr, "Warning: "+err.Error())
	}
	sm.stop(stderr)
	if hooks != nil && hooks.profilerStartErr != nil {
		if err == nil {
			rec.acc.Close()
			rec.slices.Close()
		}
		log.Error("server profiler start failed; no profiling request was sent", zap.Error(hooks.profilerStartErr))
		return exit(1, hooks.profilerStartErr)
	}
	if err != nil {
		return err
	}
	defer rec.acc.Close()
	defer rec.slices.Close()
	res, err := rec.acc.Result()
	if err != nil {
		return exit(1, err)
	}
	res.WasCancelled = info.Cancelled
	if netErr != nil {
		return exit(1, netErr)
	}
	r.adjustForNetwork(res, rtt, adjust, log, stderr)
	if err := r.report(stdout, res, info, rec, sm); err != nil {
		return err
	}
	r.uploadMLflow(ctx, cfg, res, info, stdout, log)
	r.uploadWandb(ctx, cfg, res, info, stdout, log)
	log.Info("profile finished", zap.Int("valid", res.Valid), zap.Int("errors", res.Invalid), zap.Bool("cancelled", info.Cancelled),
		zap.Int("dropped_late_requests", rec.dropped), zap.Int("skipped_stream_events", rec.tally.Skipped))
	return r.check(res, rec.dropped)
}

// prepare builds the probe's settings, the token counter (a warning on
// stderr when it falls back to counting words) and the dataset (exit 2 when
// they are bad, 1 when ctx ended while the dataset was built).
func (r *Run) prepare(ctx context.Context, stderr io.Writer) (probe.Config, *inputs.Dataset, error) {
	cfg, err := probe.ConfigFrom(&r.o, "profile")
	if err != nil {
		return cfg, nil, exit(2, err)
	}
	counter, warning, err := openTokenizer(ctx, &r.o, r.p.ApplyChatTemplate)
	if err != nil {
		return cfg, nil, exit(2, err)
	}
	if warning != "" {
		fmt.Fprintln(stderr, "warning:", warning)
	}
	for _, w := range r.scenarioWarnings {
		fmt.Fprintln(stderr, "warning:", w)
	}
	cfg.Agentic = r.agentic
	cfg.Counter = counter
	cfg.PreferUsage = cfg.PreferUsage && counter.Name() == (tokens.Words{}).Name()
	var ds *inputs.Dataset
	if r.acc != nil {
		ds, err = r.accuracyDataset(ctx, counter)
	} else {
		ds, err = inputs.BuildContext(ctx, &r.o, counter, rand.New(rand.NewSource(r.seed)))
	}
	if err != nil && ctx.Err() != nil {
		return cfg, nil, exit(1, errors.New("interrupted while building the dataset; nothing was sent"))
	}
	if err != nil {
		return cfg, nil, exit(2, err)
	}
	if cc, ok := counter.(tokens.ChatCounter); ok && cc.ChatWarning() != "" {
		fmt.Fprintln(stderr, "warning:", cc.ChatWarning()) // the template failed on one of the dataset's conversations
	}
	if err := probe.Check(cfg, ds); err != nil {
		return cfg, nil, exit(2, err)
	}
	cfg.Seed = r.seed
	cfg.StartAt = r.startAt
	cfg.Warmup = r.warmup
	r.sched.apply(&cfg, &r.o)
	cfg.WarmupSessions = r.p.NumWarmupSessions
	cfg.ConnectionReuse = r.p.ConnectionReuseStrategy
	cfg.ContentType = r.p.RequestContentType
	cfg.KeepText = r.p.ExportOutputsJSON
	cfg.FixedSchedule = cfg.FixedSchedule || (ds.FixedSchedule && !cfg.NoFixedSchedule && !cfg.IgnoreTraceDelays)
	if err := r.sched.checkTrace(cfg.FixedSchedule); err != nil {
		return cfg, nil, exit(2, err)
	}
	if r.o.Duration == 0 && !cfg.FixedSchedule {
		cfg.RequestCount = r.o.ProfileRequestCount()
	}
	if r.acc != nil && cfg.RequestCount > 0 && cfg.RequestCount < len(ds.Conversations) {
		fmt.Fprintf(stderr, "warning: %d requests ask %d of the benchmark's %d questions: give --request-count %d to grade them all\n",
			cfg.RequestCount, cfg.RequestCount, len(ds.Conversations), len(ds.Conversations))
	}
	return cfg, ds, nil
}

// openArtifacts clears what a previous run left in dir, opens the run's log
// and writes inputs.json.
func (r *Run) openArtifacts(ctx context.Context, dir string, ds *inputs.Dataset) (*zap.Logger, func(), error) {
	removed, err := report.RemovePreviousRun(dir, append(append(runPlots(), r.names.Files()...), mlflow.MetadataFile, NetworkLatencyFile, report.OutputsName(r.names), accuracy.CSVFile, r.accuracyJSONL())...)
	if err != nil {
		return nil, nil, exit(1, err)
	}
	if err := os.MkdirAll(filepath.Dir(report.LogPath(dir)), 0o755); err != nil {
		return nil, nil, exit(1, fmt.Errorf("--artifact-dir: %w", err))
	}
	log, closeLog, err := newRunLogger(report.LogPath(dir))
	if err != nil {
		return nil, nil, exit(1, err)
	}
	log.Info("profile starting", zap.String("command", r.command()), zap.Int64("random_seed", r.seed))
	if len(removed) > 0 {
		log.Info("removed the previous run's files from the artifact directory", zap.Strings("files", removed))
	}
	if err := writeInputs(ctx, dir, ds); err != nil {
		if ctx.Err() != nil {
			os.Remove(filepath.Join(dir, report.InputsFile)) // half a file is no record of anything
			log.Info("interrupted while writing inputs.json; nothing was sent")
			err = errors.New("interrupted while writing inputs.json; nothing was sent")
		}
		closeLog()
		return nil, nil, exit(1, err)
	}
	return log, closeLog, nil
}

// measure runs the requests, streaming their records to the artifact
// directory, and fills info with the run's bounds. Until the run ends, the
// JSON export says how it was run and that it has not finished: what `report
// DIR` needs after a kill. The caller closes the recorder's accumulator.
func (r *Run) measure(ctx context.Context, cfg probe.Config, ds *inputs.Dataset, info *report.RunInfo, log *zap.Logger, prog *progress, ot *otelRun) (*recorder, error) {
	started := *info
	started.Start, started.Partial = time.Now(), true
	if err := report.WriteJSONFile(info.ArtifactDir, &metrics.Result{}, started); err != nil {
		return nil, exit(1, err)
	}
	// The inter-chunk latencies (one per response) wait in a scratch file there too.
	rec, err := newRecorder(info.ArtifactDir, r.p.ExportLevel, r.names, metrics.AggregateOptions{Goodput: r.goodput, ScratchDir: info.ArtifactDir}, r.p.ExportHTTPTrace)
	if err != nil {
		return nil, exit(1, err)
	}
	rec.slices = r.newSlices(info.ArtifactDir)
	if ot != nil {
		rec.otel = ot.s
	}
	if r.p.ExportOutputsJSON {
		if rec.outputs, err = report.CreateOutputs(filepath.Join(info.ArtifactDir, report.OutputsName(r.names))); err != nil {
			rec.abort()
			return nil, exit(1, err)
		}
	}
	if r.acc != nil {
		rec.accuracy = &accuracy.Summary{}
		if r.p.AccuracyVerbose {
			rec.accuracyVerbose = func(rc *record.Record) { logGrade(log, rc) }
		}
		if rec.accuracyLines, err = accuracy.CreateJSONL(filepath.Join(info.ArtifactDir, r.accuracyJSONL())); err != nil {
			rec.abort()
			return nil, exit(1, err)
		}
	}
	start, end, runErr := collect(ctx, cfg, ds, log, prog, rec, r.tooManyFailed)
	prog.setPhase(false, true)
	err = rec.close()
	if err == nil && runErr != nil && rec.acc.Count() == 0 && rec.dropped == 0 {
		err = runErr
	}
	if err != nil {
		rec.acc.Close()
		rec.slices.Close()
		return nil, exit(1, err)
	}
	info.Cancelled, info.Start, info.End = ctx.Err() != nil, start, end
	info.DroppedLateRequests, info.Tally = rec.dropped, &rec.tally
	return rec, nil
}

// report writes the CSV and JSON exports (the records are on disk already),
// prints the console report and its warnings, and draws the --plot charts.
func (r *Run) report(stdout io.Writer, res *metrics.Result, info report.RunInfo, rec *recorder, sm *serverMetricsRun) error {
	if _, err := report.WriteSummary(info.ArtifactDir, res, info); err != nil {
		return exit(1, err)
	}
	if err := report.WriteConsole(stdout, res, info); err != nil {
		return exit(1, err)
	}
	if r.p.ShowTraceTiming {
		if err := report.WriteTraceTiming(stdout, &rec.tally, report.ConsoleOptionsFor(stdout)); err != nil {
			return exit(1, err)
		}
	}
	if err := sm.report(info.ArtifactDir, res, info.InputConfig, r.names, stdout); err != nil {
		return exit(1, err)
	}
	if err := r.reportSlices(stdout, info, rec); err != nil {
		return err
	}
	if err := reportAccuracy(stdout, info.ArtifactDir, rec.accuracy); err != nil {
		return err
	}
	warnScheduleLag(stdout, res)
	report.WarnSkippedEvents(stdout, rec.tally.Skipped)
	if r.p.Plot && res.Valid+res.Invalid > 0 {
		// The charts read the records back: the run itself never holds them.
		kept, err := report.ReadRecords(filepath.Join(info.ArtifactDir, r.names.JSONL))
		if err != nil {
			return exit(1, err)
		}
		if _, err := plot.WriteAll(info.ArtifactDir, kept); err != nil {
			if r.p.PlotRequired { // AIPerf's --plot-required: a failed plot fails the run
				return exit(1, err)
			}
			fmt.Fprintf(stdout, "Warning: plots not written: %v\n", err)
		}
	}
	report.WarnDropped(stdout, rec.dropped)
	return nil
}

// collect runs the engine and hands every finished record to rec, from a
// goroutine of its own so that writing records never holds up the engine.
// tooManyFailed (nil for none) stops the run early: in-flight requests end
// through the cancel path and what finished is still reported.
func collect(ctx context.Context, cfg probe.Config, ds *inputs.Dataset, log *zap.Logger, prog *progress, rec *recorder,
	tooManyFailed func(done, failed int) bool) (time.Time, time.Time, error) {
	ctx, abort := context.WithCancel(ctx)
	defer abort()
	done, failed := 0, 0
	var start time.Time
	var once sync.Once
	sent := cfg.OnStart // the --otel-url stream's counter, or nil
	cfg.OnStart = func(r *record.Record) {
		once.Do(func() { start = time.Now() })
		if sent != nil {
			sent(r)
		}
	}
	finished := make(chan *record.Record, 1024)
	written := make(chan struct{})
	go func() {
		defer close(written)
		for r := range finished {
			rec.add(r)
		}
	}()
	prog.start()
	err := probe.Run(ctx, cfg, ds, func(r *record.Record) {
		if r.Phase != record.PhaseWarmup {
			prog.done(r.Valid())
			if r.Error != nil {
				log.Warn("request failed", zap.String("x_request_id", r.RequestID), zap.Int("code", r.Error.Code),
					zap.String("type", r.Error.Type), zap.String("message", truncate(r.Error.Message, 200)))
			}
			done++
			if !r.Valid() {
				failed++
			}
			if tooManyFailed != nil && ctx.Err() == nil && tooManyFailed(done, failed) {
				log.Warn("stopping the run: failed requests above --failed-request-threshold", zap.Int("requests", done))
				abort()
			}
		}
		finished <- r
	})
	close(finished)
	<-written
	prog.stop()
	if err != nil {
		log.Error("run failed", zap.Error(err))
	}
	return start, time.Now(), err
}

// command is the redacted `CLI Command:` echo.
func (r *Run) command() string {
	return strings.TrimSpace("aiperf-exporter profile " + options.EchoCommand(r.args))
}

func writeInputs(ctx context.Context, dir string, ds *inputs.Dataset) error {
	entries := ds.Entries()
	out := make([]report.InputsEntry, len(entries))
	for i, e := range entries {
		out[i].SessionID = e.SessionID
		for _, b := range e.Payloads {
			out[i].Payloads = append(out[i].Payloads, b) // copied one at a time while writing
		}
	}
	return report.WriteInputsFile(ctx, dir, out)
}

// runPlots are the charts --plot writes, relative to the artifact directory:
// a rerun removes them with the rest of the previous run.
func runPlots() []string {
	var out []string
	for _, f := range []string{plot.TTFTOverTimeFile, plot.LatencyOverTimeFile, plot.TTFTDistributionFile, plot.ITLDistributionFile,
		plot.TTFTVsAudioFile, plot.LatencyVsConcurrencyFile, plot.ThroughputVsPerUserFile} {
		out = append(out, filepath.Join(plot.Dir, f))
	}
	return out
}
