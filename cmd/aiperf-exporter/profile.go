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
	if err := os.MkdirAll(filepath.Dir(report.LogPath(dir)), 0o755); err != nil {
		return fail(1, fmt.Errorf("--artifact-dir: %w", err))
	}
	log, closeLog, err := newRunLogger(report.LogPath(dir))
	if err != nil {
		return fail(1, err)
	}
	defer closeLog()
	log.Info("profile starting", zap.String("command", r.command()), zap.Int64("random_seed", r.seed))
	if err := writeInputs(dir, ds); err != nil {
		return fail(1, err)
	}

	cfg.Seed = r.seed
	cfg.FixedSchedule = cfg.FixedSchedule || ds.FixedSchedule
	if r.o.Duration == 0 && !cfg.FixedSchedule {
		cfg.RequestCount = r.o.ProfileRequestCount()
	}
	cfg.Logf = func(format string, a ...any) { log.Warn(fmt.Sprintf(format, a...)) }
	total := cfg.RequestCount
	recs, start, end, runErr := collect(ctx, cfg, ds, log, newProgress(stderr, total), r.tooManyFailed)
	if runErr != nil && len(recs) == 0 {
		return fail(1, runErr)
	}
	cancelled := ctx.Err() != nil

	res := metrics.Aggregate(recs, metrics.AggregateOptions{Goodput: r.goodput, Cancelled: cancelled})
	kept := keptRecords(recs)
	dropped := len(recs) - len(kept)
	info := report.RunInfo{
		CLICommand: r.command(), ArtifactDir: dir, InputConfig: r.inputConfig(dir, cfg),
		Cancelled: cancelled, Start: start, End: end, DroppedLateRequests: dropped,
	}
	if _, err := report.WriteAll(dir, res, kept, info); err != nil {
		return fail(1, err)
	}
	if err := report.WriteConsole(stdout, res, info); err != nil {
		return fail(1, err)
	}
	warnScheduleLag(stdout, res)
	skipped := report.SkippedEvents(kept)
	warnSkippedEvents(stdout, skipped)
	if r.p.Plot && len(kept) > 0 {
		if _, err := plot.WriteAll(dir, kept); err != nil {
			return fail(1, err)
		}
	}
	warnDropped(stdout, dropped)
	log.Info("profile finished", zap.Int("valid", res.Valid), zap.Int("errors", res.Invalid), zap.Bool("cancelled", cancelled),
		zap.Int("dropped_late_requests", dropped), zap.Int("skipped_stream_events", skipped))
	return r.exitCode(res, dropped, stderr)
}

// collect runs the engine and keeps every profiling record.
// tooManyFailed (nil for none) stops the run early: in-flight requests end
// through the cancel path and what finished is still reported.
func collect(ctx context.Context, cfg probe.Config, ds *inputs.Dataset, log *zap.Logger, prog *progress,
	tooManyFailed func(done, failed int) bool) ([]*record.Record, time.Time, time.Time, error) {
	ctx, abort := context.WithCancel(ctx)
	defer abort()
	var recs []*record.Record
	failed := 0
	var start time.Time
	var once sync.Once
	cfg.OnStart = func(r *record.Record) { once.Do(func() { start = time.Now() }) }
	prog.start()
	err := probe.Run(ctx, cfg, ds, func(r *record.Record) {
		if r.Phase == record.PhaseWarmup {
			return
		}
		recs = append(recs, r)
		prog.done(r.Valid())
		if r.Error != nil {
			log.Warn("request failed", zap.String("x_request_id", r.RequestID), zap.Int("code", r.Error.Code),
				zap.String("type", r.Error.Type), zap.String("message", truncate(r.Error.Message, 200)))
		}
		if !r.Valid() {
			failed++
		}
		if tooManyFailed != nil && ctx.Err() == nil && tooManyFailed(len(recs), failed) {
			log.Warn("stopping the run: failed requests above --failed-request-threshold", zap.Int("requests", len(recs)))
			abort()
		}
	})
	prog.stop()
	if err != nil {
		log.Error("run failed", zap.Error(err))
	}
	return recs, start, time.Now(), err
}

// keptRecords drops records that ended after duration + grace (spec §8).
func keptRecords(recs []*record.Record) []*record.Record {
	kept := make([]*record.Record, 0, len(recs))
	for _, r := range recs {
		if !r.LateForDuration {
			kept = append(kept, r)
		}
	}
	return kept
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
	case r.thresholdGiven() && float64(res.Invalid)/float64(total) > r.p.FailedRequestThreshold:
		fmt.Fprintf(stderr, "aiperf-exporter profile: %d of %d requests failed, above --failed-request-threshold %g\n",
			res.Invalid, total, r.p.FailedRequestThreshold)
		return 1
	}
	return 0
}

// thresholdGiven: --failed-request-threshold is off unless given (AIPerf's
// default is None), so 0 means "no failure at all".
func (r *profileRun) thresholdGiven() bool { return r.set["failed-request-threshold"] }

// tooManyFailed is AIPerf's early abort (--failed-request-threshold): once
// max(concurrency, 10) requests have finished, a failed share above the
// threshold stops the run.
func (r *profileRun) tooManyFailed(done, failed int) bool {
	if !r.thresholdGiven() || done < max(r.o.EffectiveConcurrency(), 10) {
		return false
	}
	return float64(failed)/float64(done) > r.p.FailedRequestThreshold
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
