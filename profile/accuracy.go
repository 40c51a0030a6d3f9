package profile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"os"
	"strings"

	"go.uber.org/zap"

	"github.com/aiperf-exporter/aiperf-exporter/accuracy"
	"github.com/aiperf-exporter/aiperf-exporter/hub"
	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/internal/term"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/record"
	"github.com/aiperf-exporter/aiperf-exporter/report"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// accuracyConfig checks the --accuracy-* flags and fills in the benchmark's
// defaults (nil when --accuracy-benchmark is not given). --accuracy-n-shots
// not given is AIPerf's None: the benchmark's own count.
func accuracyConfig(p *options.Profile, set map[string]bool) (*accuracy.Config, error) {
	n := -1
	if set["accuracy-n-shots"] {
		if p.AccuracyNShots < 0 {
			return nil, &options.Error{Flag: "accuracy-n-shots", Msg: fmt.Sprintf("must be between 0 and %d, got %d", accuracy.MaxNShots, p.AccuracyNShots)}
		}
		n = p.AccuracyNShots
	}
	c, err := accuracy.Resolve(accuracy.Flags{Benchmark: p.AccuracyBenchmark, Tasks: p.AccuracyTasks, NShots: n,
		EnableCoT: p.AccuracyEnableCoT, NoEnableCoT: p.AccuracyNoEnableCoT, Grader: p.AccuracyGrader,
		SystemPrompt: p.AccuracySystemPrompt, Verbose: p.AccuracyVerbose})
	var fe *accuracy.FlagError
	if errors.As(err, &fe) {
		return nil, &options.Error{Flag: fe.Flag, Msg: fe.Msg}
	}
	return c, err
}

// accuracyAlone refuses another dataset beside the benchmark's questions,
// which would otherwise be silently ignored.
func accuracyAlone(c *accuracy.Config, o *options.Options) error {
	if c == nil {
		return nil
	}
	for _, other := range []struct{ flag, value string }{{"input-file", o.InputFile}, {"public-dataset", o.PublicDataset}} {
		if other.value != "" {
			return &options.Error{Flag: "accuracy-benchmark", Msg: "sends the benchmark's questions: not with --" + other.flag}
		}
	}
	return nil
}

// accuracyDataset reads the benchmark's problems from the Hugging Face Hub
// (HF_HOME, HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE) and makes them the run's
// conversations.
func (r *Run) accuracyDataset(ctx context.Context, counter tokens.Counter) (*inputs.Dataset, error) {
	c, err := hub.FromEnv()
	if err != nil {
		return nil, err
	}
	if term.IsTerminal(os.Stderr) {
		c.Progress = os.Stderr
	}
	problems, err := accuracy.Load(ctx, c, r.acc)
	if err != nil {
		return nil, err
	}
	return inputs.BuildProblems(&r.o, counter, rand.New(rand.NewSource(r.seed)), problems)
}

// reportAccuracy writes accuracy_results.csv and prints AIPerf's accuracy
// table after the performance report.
func reportAccuracy(stdout io.Writer, dir string, s *accuracy.Summary) error {
	if s == nil {
		return nil
	}
	if err := s.WriteCSV(dir); err != nil {
		return exit(1, err)
	}
	if err := report.WriteAccuracyConsole(stdout, s, report.ConsoleOptionsFor(stdout)); err != nil {
		return exit(1, err)
	}
	return nil
}

// accuracyJSONL is the per-record accuracy file's name: AIPerf's default, or
// <prefix>_accuracy.jsonl with --profile-export-prefix.
func (r *Run) accuracyJSONL() string {
	if r.names == report.DefaultNames() || r.names == (report.Names{}) {
		return accuracy.JSONLName("")
	}
	return accuracy.JSONLName(strings.TrimSuffix(r.names.CSV, ".csv"))
}

// logGrade writes one grade's details to the run log: --accuracy-verbose,
// AIPerf's per-problem grading details.
func logGrade(log *zap.Logger, r *record.Record) {
	g := r.Accuracy
	log.Info("accuracy grade", zap.String("x_request_id", r.RequestID), zap.String("benchmark_phase", string(r.Phase)),
		zap.String("task", g.Task), zap.Bool("passed", g.Passed), zap.Bool("unparsed", g.Unparsed),
		zap.String("expected", g.Expected), zap.String("actual", g.Actual), zap.String("explanation", g.Explanation))
}
