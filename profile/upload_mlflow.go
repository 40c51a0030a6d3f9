package profile

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/prometheus/common/version"
	"go.uber.org/zap"

	"github.com/aiperf-exporter/aiperf-exporter/internal/redact"
	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
	"github.com/aiperf-exporter/aiperf-exporter/report"
	"github.com/aiperf-exporter/aiperf-exporter/upload/mlflow"
)

// checkMLflow reads the --mlflow-* flags: nil when --mlflow-tracking-uri is
// not given, and then the others may not be given either (as in AIPerf).
func checkMLflow(p *options.Profile, set map[string]bool) (*mlflow.Config, error) {
	for _, g := range p.MLflowArtifactGlob {
		if strings.TrimSpace(g) == "" {
			return nil, &options.Error{Flag: "mlflow-artifact-glob", Msg: "entries cannot be empty"}
		}
	}
	if p.MLflowTrackingURI == "" && !set["mlflow-tracking-uri"] {
		return nil, options.RefuseWithout(set, "needs --mlflow-tracking-uri", "mlflow-experiment", "mlflow-run-name", "mlflow-tag", "mlflow-parent-run-id", "mlflow-artifact-glob")
	}
	uri, err := mlflow.CheckTrackingURI(p.MLflowTrackingURI)
	if err != nil {
		return nil, &options.Error{Flag: "mlflow-tracking-uri", Msg: err.Error()}
	}
	c := &mlflow.Config{TrackingURI: uri, Experiment: strings.TrimSpace(p.MLflowExperiment), RunName: strings.TrimSpace(p.MLflowRunName),
		ParentRunID: strings.TrimSpace(p.MLflowParentRunID), Globs: mlflow.DefaultGlobs,
		Token: os.Getenv("MLFLOW_TRACKING_TOKEN"), Username: os.Getenv("MLFLOW_TRACKING_USERNAME"), Password: os.Getenv("MLFLOW_TRACKING_PASSWORD")}
	if c.Experiment == "" {
		if set["mlflow-experiment"] {
			return nil, &options.Error{Flag: "mlflow-experiment", Msg: "cannot be empty"}
		}
		c.Experiment = mlflow.DefaultExperiment
	}
	if len(p.MLflowArtifactGlob) > 0 {
		c.Globs = nil
		for _, g := range p.MLflowArtifactGlob {
			c.Globs = append(c.Globs, strings.TrimSpace(g))
		}
	}
	if c.Tags, err = mlflow.ParseTags(p.MLflowTag); err != nil {
		return nil, &options.Error{Flag: "mlflow-tag", Msg: err.Error()}
	}
	return c, nil
}

// uploadMLflow uploads the finished run, once its files are written. A
// failure is one warning line: the run and its files stand.
func (r *Run) uploadMLflow(ctx context.Context, cfg probe.Config, res *metrics.Result, info report.RunInfo, stdout io.Writer, log *zap.Logger) {
	if r.mlflow == nil {
		return
	}
	warn := uploadWarning(stdout, log)
	sum := mlflow.Summary{Dir: info.ArtifactDir, Metrics: mlflowMetrics(res), Params: r.mlflowParams(cfg, info.ArtifactDir),
		Tags: map[string]string{"aiperf.version": "aiperf-exporter " + version.Version, "aiperf.was_cancelled": strconv.FormatBool(res.WasCancelled)}}
	sum.Metrics["aiperf.completed_requests"] = float64(res.Valid + res.Invalid)
	if cfg.RequestCount > 0 {
		sum.Metrics["aiperf.total_expected_requests"] = float64(cfg.RequestCount)
	}
	up, err := mlflow.Upload(context.WithoutCancel(ctx), *r.mlflow, sum, warn)
	if err != nil {
		warn(fmt.Sprintf("MLflow upload to %s failed: %v", redact.URL(r.mlflow.TrackingURI), err))
		return
	}
	log.Info("uploaded the run to MLflow", zap.String("run_id", up.RunID), zap.String("run_name", up.RunName),
		zap.Int("metrics", len(up.MetricKeys)), zap.Int("artifacts", len(up.UploadedArtifacts)))
}

// mlflowMetrics are the summary statistics as AIPerf logs them: the average
// under the metric's tag, each other statistic as tag.stat; an aggregate
// metric's value under its tag.
func mlflowMetrics(res *metrics.Result) map[string]float64 {
	out := map[string]float64{}
	for tag, m := range res.Metrics {
		if m.Has(metrics.AggregateMetric) {
			out[tag] = m.Value
			if m.Integer {
				out[tag] = float64(m.Int)
			}
			continue
		}
		s := m.Stats
		out[tag] = s.Avg
		for _, q := range metrics.Percentiles {
			out[fmt.Sprintf("%s.p%d", tag, q)] = s.Percentile(q)
		}
		out[tag+".min"], out[tag+".max"], out[tag+".std"] = s.Min, s.Max, s.Std
	}
	return out
}

// mlflowParams are the run's settings as AIPerf names them, credentials hidden.
func (r *Run) mlflowParams(cfg probe.Config, dir string) map[string]string {
	var urls []string
	for _, t := range cfg.Targets {
		urls = append(urls, redact.URL(t.URL))
	}
	mode := "request_rate"
	if cfg.FixedSchedule {
		mode = "fixed_schedule"
	}
	p := map[string]string{"endpoint.type": r.o.EndpointType, "endpoint.models": strings.Join(r.o.Models, ","), "endpoint.urls": strings.Join(urls, ","),
		"timing.mode": mode, "output.artifact_directory": dir, "aiperf.cli_command": r.command()}
	if r.set["concurrency"] {
		p["loadgen.concurrency"] = strconv.Itoa(r.o.Concurrency)
	}
	if r.set["request-rate"] {
		p["loadgen.request_rate"] = mlflow.FormatFloat(r.o.RequestRate)
	}
	if cfg.RequestCount > 0 {
		p["loadgen.request_count"] = strconv.Itoa(cfg.RequestCount)
	}
	if r.o.Duration > 0 {
		p["loadgen.benchmark_duration"] = mlflow.FormatFloat(r.o.Duration)
	}
	return p
}
