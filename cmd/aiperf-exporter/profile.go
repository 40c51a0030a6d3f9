package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"go.uber.org/zap"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/plot"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
	"github.com/aiperf-exporter/aiperf-exporter/record"
	"github.com/aiperf-exporter/aiperf-exporter/report"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// runProfile is `aiperf-exporter profile`. Ctrl-C stops the run early; what was
// measured is still reported.
func runProfile(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	return profile(ctx, args, stdout, stderr)
}

// profileRun is one parsed `profile` invocation.
type profileRun struct {
	o       options.Options
	p       options.Profile
	mock    mockFlags
	set     map[string]bool // flags given on the command line
	args    []string
	seed    int64
	goodput map[string]float64
}

func profile(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fail := func(code int, err error) int {
		fmt.Fprintf(stderr, "aiperf-exporter profile: %v\n", err)
		return code
	}
	r, err := parseProfile(args, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		return fail(2, err)
	}
	if r.o.Mock {
		m, err := mockserver.Start(ctx, "", r.mock.config(), nil)
		if err != nil {
			return fail(1, err)
		}
		defer m.Close()
		r.o.URLs = []string{"mock=" + m.URL}
	}
	cfg, err := probe.ConfigFrom(&r.o, "profile")
	if err != nil {
		return fail(2, err)
	}
	counter, err := tokens.Open(r.o.Tokenizer)
	if err != nil {
		return fail(2, err)
	}
	cfg.Counter = counter
	ds, err := inputs.Build(&r.o, counter, rand.New(rand.NewSource(r.seed)))
	if err != nil {
		return fail(2, err)
	}
	if err := probe.Check(cfg, ds); err != nil {
		return fail(2, err)
	}
	dir := report.ArtifactDir(report.ArtifactSpec{
		Base: r.p.ArtifactDir, Explicit: r.set["artifact-dir"], Models: r.o.Models, EndpointType: r.o.EndpointType,
		Concurrency: r.o.Concurrency, RequestRate: r.o.RequestRate, FixedSchedule: r.o.FixedSchedule || ds.FixedSchedule,
	})
	removed, err := report.RemovePreviousRun(dir, runPlots()...)
	if err != nil {
		return fail(1, err)
	}
	if err := os.MkdirAll(filepath.Dir(report.LogPath(dir)), 0o755); err != nil {
		return fail(1, fmt.Errorf("--artifact-dir: %w", err))
	}
	log, closeLog, err := newRunLogger(report.LogPath(dir))
	if err != nil {
		return fail(1, err)
	}
	defer closeLog()
	log.Info("profile starting", zap.String("command", r.command()), zap.Int64("random_seed", r.seed))
	if len(removed) > 0 {
		log.Info("removed the previous run's files from the artifact directory", zap.Strings("files", removed))
	}
	if err := writeInputs(dir, ds); err != nil {
		return fail(1, err)
	}

	cfg.Seed = r.seed
	cfg.FixedSchedule = cfg.FixedSchedule || ds.FixedSchedule
	if r.o.Duration == 0 && !cfg.FixedSchedule {
		cfg.RequestCount = r.o.ProfileRequestCount()
	}
	cfg.Logf = func(format string, a ...any) { log.Warn(fmt.Sprintf(format, a...)) }
	info := report.RunInfo{CLICommand: r.command(), ArtifactDir: dir, InputConfig: r.inputConfig(dir, cfg)}

	// Until the run ends, the JSON export says how it was run and that it has
	// not finished: what `report DIR` needs after a kill.
	started := info
	started.Start, started.Partial = time.Now(), true
	if err := report.WriteJSONFile(dir, &metrics.Result{}, started); err != nil {
		return fail(1, err)
	}
	// The inter-chunk latencies (one per response) wait in a scratch file in dir.
	rec, err := newRecorder(dir, r.p.ExportLevel, metrics.AggregateOptions{Goodput: r.goodput, ScratchDir: dir})
	if err != nil {
		return fail(1, err)
	}
	defer rec.acc.Close()
	defer rec.close()
	start, end, runErr := collect(ctx, cfg, ds, log, newProgress(stderr, cfg.RequestCount), rec)
	if err := rec.close(); err != nil {
		return fail(1, err)
	}
	if runErr != nil && rec.acc.Count() == 0 && rec.dropped == 0 {
		return fail(1, runErr)
	}
	cancelled := ctx.Err() != nil

	res, err := rec.acc.Result()
	if err != nil {
		return fail(1, err)
	}
	res.WasCancelled = cancelled
	dropped := rec.dropped
	info.Cancelled, info.Start, info.End, info.DroppedLateRequests, info.Tally = cancelled, start, end, dropped, &rec.tally
	if _, err := report.WriteSummary(dir, res, info); err != nil {
		return fail(1, err)
	}
	if err := report.WriteConsole(stdout, res, info); err != nil {
		return fail(1, err)
	}
	warnScheduleLag(stdout, res)
	warnSkippedEvents(stdout, rec.tally.Skipped)
	if r.p.Plot && res.Valid+res.Invalid > 0 {
		// The charts read the records back: the run itself never holds them.
		kept, err := report.ReadRecords(filepath.Join(dir, report.JSONLFile))
		if err != nil {
			return fail(1, err)
		}
		if _, err := plot.WriteAll(dir, kept); err != nil {
			return fail(1, err)
		}
	}
	warnDropped(stdout, dropped)
	log.Info("profile finished", zap.Int("valid", res.Valid), zap.Int("errors", res.Invalid), zap.Bool("cancelled", cancelled),
		zap.Int("dropped_late_requests", dropped), zap.Int("skipped_stream_events", rec.tally.Skipped))
	return r.exitCode(res, dropped, stderr)
}

// collect runs the engine and hands every finished record to rec, from a
// goroutine of its own so that writing records never holds up the engine.
func collect(ctx context.Context, cfg probe.Config, ds *inputs.Dataset, log *zap.Logger, prog *progress, rec *recorder) (time.Time, time.Time, error) {
	var start time.Time
	var once sync.Once
	cfg.OnStart = func(r *record.Record) { once.Do(func() { start = time.Now() }) }
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

// exitCode is 0 unless nothing is left to report (no request finished, or
// every one was dropped for ending late), every request failed, or more failed
// than --failed-request-threshold allows. Each failure is one line on stderr.
func (r *profileRun) exitCode(res *metrics.Result, dropped int, stderr io.Writer) int {
	total := res.Valid + res.Invalid
	switch {
	case total == 0 && dropped > 0:
		fmt.Fprintf(stderr, "aiperf-exporter profile: nothing to report: all %d request(s) were still running at "+
			"--benchmark-duration + --benchmark-grace-period and were dropped\n", dropped)
		return 1
	case total == 0:
		fmt.Fprintln(stderr, "aiperf-exporter profile: nothing to report: no request finished")
		return 1
	case res.Valid == 0:
		reason := "no content"
		if len(res.Errors) > 0 {
			reason = errorReason(res.Errors[0].Error)
		}
		fmt.Fprintf(stderr, "aiperf-exporter profile: all %d requests failed (%s)\n", total, reason)
		return 1
	case r.p.FailedRequestThreshold > 0 && total > 0 && 100*float64(res.Invalid)/float64(total) > r.p.FailedRequestThreshold:
		fmt.Fprintf(stderr, "aiperf-exporter profile: %d of %d requests failed, above --failed-request-threshold %g%%\n",
			res.Invalid, total, r.p.FailedRequestThreshold)
		return 1
	}
	return 0
}

// errorReason is "code type: message", leaving out a code of 0 and an empty
// type as the error summary shows them as N/A.
func errorReason(e record.Error) string {
	var head []string
	if e.Code != 0 {
		head = append(head, strconv.Itoa(e.Code))
	}
	if e.Type != "" {
		head = append(head, e.Type)
	}
	if len(head) == 0 {
		return truncate(e.Message, 200)
	}
	return strings.Join(head, " ") + ": " + truncate(e.Message, 200)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// command is the redacted `CLI Command:` echo.
func (r *profileRun) command() string {
	return strings.TrimSpace("aiperf-exporter profile " + options.EchoCommand(r.args))
}

func writeInputs(dir string, ds *inputs.Dataset) error {
	entries := ds.Entries()
	out := make([]report.InputsEntry, len(entries))
	for i, e := range entries {
		out[i].SessionID = e.SessionID
		for _, b := range e.Payloads {
			out[i].Payloads = append(out[i].Payloads, b) // copied one at a time while writing
		}
	}
	return report.WriteInputsFile(dir, out)
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
