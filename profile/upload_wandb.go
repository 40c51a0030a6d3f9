package profile

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/prometheus/common/version"
	"go.uber.org/zap"

	"github.com/aiperf-exporter/aiperf-exporter/internal/redact"
	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
	"github.com/aiperf-exporter/aiperf-exporter/report"
	"github.com/aiperf-exporter/aiperf-exporter/upload/wandb"
)

// checkWandb reads the --wandb-* flags and the wandb client's environment
// (WANDB_API_KEY, WANDB_BASE_URL, WANDB_ENTITY): nil when --wandb-project is
// not given, and then the others may not be given either.
func checkWandb(p *options.Profile, set map[string]bool) (*wandb.Config, error) {
	project := strings.TrimSpace(p.WandbProject)
	if project == "" {
		if set["wandb-project"] {
			return nil, &options.Error{Flag: "wandb-project", Msg: "cannot be empty"}
		}
		return nil, options.RefuseWithout(set, "needs --wandb-project", "wandb-entity", "wandb-run-name", "wandb-tag")
	}
	c := &wandb.Config{Project: project, Entity: strings.TrimSpace(p.WandbEntity), RunName: strings.TrimSpace(p.WandbRunName),
		APIKey: strings.TrimSpace(os.Getenv("WANDB_API_KEY"))}
	if c.APIKey == "" {
		return nil, &options.Error{Flag: "wandb-project", Msg: "needs WANDB_API_KEY in the environment (the wandb client's netrc login is not read)"}
	}
	if c.Entity == "" {
		c.Entity = strings.TrimSpace(os.Getenv("WANDB_ENTITY"))
	}
	var err error
	if c.BaseURL, err = wandb.CheckBaseURL(os.Getenv("WANDB_BASE_URL")); err != nil {
		return nil, &options.Error{Flag: "wandb-project", Msg: "WANDB_BASE_URL: " + err.Error()}
	}
	if c.Tags, err = wandb.CheckTags(p.WandbTag); err != nil {
		return nil, &options.Error{Flag: "wandb-tag", Msg: err.Error()}
	}
	return c, nil
}

// uploadWandb uploads the finished run, once its files are written. A
// failure is one warning line: the run and its files stand.
func (r *Run) uploadWandb(ctx context.Context, cfg probe.Config, res *metrics.Result, info report.RunInfo, stdout io.Writer, log *zap.Logger) {
	if r.wandb == nil {
		return
	}
	conf := map[string]any{}
	for k, v := range r.mlflowParams(cfg, info.ArtifactDir) {
		conf[k] = v
	}
	cols, rows := wandbTable(res)
	sum := wandb.Summary{Dir: info.ArtifactDir, Config: conf, Tags: []string{"aiperf-exporter-" + version.Version}, Columns: cols, Rows: rows}
	up, err := wandb.Upload(context.WithoutCancel(ctx), *r.wandb, sum)
	if err != nil {
		uploadWarning(stdout, log)(fmt.Sprintf("Weights & Biases upload to %s failed: %v", redact.URL(r.wandb.BaseURL), err))
		return
	}
	log.Info("uploaded the run to Weights & Biases", zap.String("entity", up.Entity), zap.String("project", up.Project),
		zap.String("run_id", up.RunID), zap.String("run_name", up.RunName), zap.String("artifact", up.Artifact),
		zap.Int("artifact_files", len(up.ArtifactFiles)))
}

// uploadWarning is how an upload's trouble is told: one warning line on
// stdout, and in the log.
func uploadWarning(stdout io.Writer, log *zap.Logger) func(string) {
	return func(msg string) {
		fmt.Fprintln(stdout, "Warning:", msg)
		log.Warn(msg)
	}
}

// wandbTable is the console's metrics table as AIPerf logs it to W&B: one
// row per metric shown, "Header (unit)", then each statistic rounded to
// two decimals, nil where the console shows N/A.
func wandbTable(res *metrics.Result) ([]string, [][]any) {
	stats := report.ConsoleStats()
	cols := append([]string{"Metric"}, stats...)
	var rows [][]any
	for _, m := range report.ConsoleDefs(res) {
		row := []any{m.Header + " (" + m.Unit + ")"}
		for _, k := range stats {
			v, ok := report.ConsoleValue(m, k)
			if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
				row = append(row, nil)
				continue
			}
			row = append(row, math.Round(v*100)/100)
		}
		rows = append(rows, row)
	}
	return cols, rows
}
