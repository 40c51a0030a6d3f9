package mlflow

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/redact"
)

// requestTimeout bounds each REST call to the tracking server;
// uploadTimeout each artifact file, which may be large (inputs.json).
const (
	requestTimeout = 60 * time.Second
	uploadTimeout  = 30 * time.Minute
)

// Summary is what one run uploads.
type Summary struct {
	Metrics map[string]float64 // summary statistics by key
	Params  map[string]string  // the run's settings
	Tags    map[string]string  // built-in tags; Config.Tags go over them
	Dir     string             // the artifact directory
}

// Uploaded says what Upload did, as mlflow_export.json records it.
type Uploaded struct {
	TrackingURI       string   `json:"tracking_uri"`
	Experiment        string   `json:"experiment"`
	RunID             string   `json:"run_id"`
	RunName           string   `json:"run_name"`
	BenchmarkID       *string  `json:"benchmark_id"`
	ParentRunID       *string  `json:"parent_run_id"`
	LiveStreaming     bool     `json:"live_streaming"`
	ReusedLiveRun     bool     `json:"reused_live_run"`
	MetricKeys        []string `json:"metric_keys"`
	ParamKeys         []string `json:"param_keys"`
	TagKeys           []string `json:"tag_keys"`
	UploadedArtifacts []string `json:"uploaded_artifacts"`
	ExportedAtNs      int64    `json:"exported_at_ns"`
}

type keyValue struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type metric struct {
	Key       string  `json:"key"`
	Value     float64 `json:"value"`
	Timestamp int64   `json:"timestamp"`
	Step      int64   `json:"step"`
}

type runInfo struct {
	RunID       string `json:"run_id"`
	RunName     string `json:"run_name"`
	ArtifactURI string `json:"artifact_uri"`
}

// Upload creates the run, logs s in it, uploads the artifact files and
// marks it finished. warn gets what goes wrong without stopping the upload
// (a missing parent run). A run left half-done is marked FAILED.
func Upload(ctx context.Context, cfg Config, s Summary, warn func(string)) (*Uploaded, error) {
	// A transport of its own, whose idle connections go with the upload.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	defer tr.CloseIdleConnections()
	c := &client{base: cfg.TrackingURI, cfg: cfg, http: &http.Client{Timeout: requestTimeout, Transport: tr},
		files: &http.Client{Timeout: uploadTimeout, Transport: tr}}
	expID, err := c.experiment(ctx, cfg.Experiment)
	if err != nil {
		return nil, err
	}
	parent := cfg.ParentRunID
	if parent != "" {
		if err := c.call(ctx, "runs/get", url.Values{"run_id": {parent}}, nil, nil); notFound(err) {
			warn(fmt.Sprintf("MLflow parent run %s not found; the run is a root run instead", parent))
			parent = ""
		} else if err != nil {
			return nil, err
		}
	}
	name := cfg.RunName
	if name == "" {
		name = fmt.Sprintf("aiperf-%d", time.Now().Unix())
	}
	run, err := c.createRun(ctx, expID, name, parent)
	if err != nil {
		return nil, err
	}
	up, err := c.fill(ctx, cfg, s, run, parent)
	status := "FINISHED"
	if err != nil {
		status = "FAILED"
	}
	end := map[string]any{"run_id": run.RunID, "status": status, "end_time": time.Now().UnixMilli()}
	if uerr := c.call(ctx, "runs/update", nil, end, nil); err == nil && uerr != nil {
		err = uerr
	}
	if err != nil {
		return nil, fmt.Errorf("run %s: %w", run.RunID, err)
	}
	return up, nil
}

// experiment finds the experiment by name, creating it when missing, as
// mlflow.set_experiment does.
func (c *client) experiment(ctx context.Context, name string) (string, error) {
	var got struct {
		Experiment struct {
			ID             string `json:"experiment_id"`
			LifecycleStage string `json:"lifecycle_stage"`
		} `json:"experiment"`
	}
	err := c.call(ctx, "experiments/get-by-name", url.Values{"experiment_name": {name}}, nil, &got)
	if notFound(err) {
		var created struct {
			ID string `json:"experiment_id"`
		}
		if err := c.call(ctx, "experiments/create", nil, map[string]string{"name": name}, &created); err != nil {
			return "", err
		}
		return created.ID, nil
	}
	if err != nil {
		return "", err
	}
	if got.Experiment.LifecycleStage == "deleted" {
		return "", fmt.Errorf("experiment %q is deleted: restore it or choose another --mlflow-experiment", name)
	}
	return got.Experiment.ID, nil
}

func (c *client) createRun(ctx context.Context, expID, name, parent string) (runInfo, error) {
	tags := []keyValue{{"mlflow.runName", name}, {"mlflow.source.name", "aiperf-exporter"}, {"mlflow.source.type", "LOCAL"}}
	if parent != "" {
		tags = append(tags, keyValue{"mlflow.parentRunId", parent})
	}
	req := map[string]any{"experiment_id": expID, "run_name": name, "start_time": time.Now().UnixMilli(), "tags": tags}
	var got struct {
		Run struct {
			Info runInfo `json:"info"`
		} `json:"run"`
	}
	if err := c.call(ctx, "runs/create", nil, req, &got); err != nil {
		return runInfo{}, err
	}
	if got.Run.Info.RunID == "" {
		return runInfo{}, fmt.Errorf("runs/create: the reply names no run_id")
	}
	if got.Run.Info.RunName == "" {
		got.Run.Info.RunName = name
	}
	return got.Run.Info, nil
}

// fill logs the metrics, params and tags, writes mlflow_export.json and
// uploads the artifacts with it.
func (c *client) fill(ctx context.Context, cfg Config, s Summary, run runInfo, parent string) (*Uploaded, error) {
	tags := map[string]string{}
	for k, v := range s.Tags {
		tags[k] = v
	}
	for k, v := range cfg.Tags {
		tags[k] = v
	}
	if err := c.logBatches(ctx, run.RunID, s.Metrics, s.Params, tags); err != nil {
		return nil, err
	}
	files, err := Files(s.Dir, cfg.Globs)
	if err != nil {
		return nil, fmt.Errorf("artifacts: %w", err)
	}
	root, err := artifactRoot(run.ArtifactURI)
	if err != nil {
		return nil, err
	}
	up := &Uploaded{TrackingURI: redact.URL(cfg.TrackingURI), Experiment: cfg.Experiment, RunID: run.RunID, RunName: run.RunName,
		MetricKeys: sortedKeys(s.Metrics), ParamKeys: sortedKeys(s.Params), TagKeys: sortedKeys(tags),
		UploadedArtifacts: append(files, MetadataFile), ExportedAtNs: time.Now().UnixNano()}
	if parent != "" {
		up.ParentRunID = &parent
	}
	b, err := json.MarshalIndent(up, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := writeAtomic(filepath.Join(s.Dir, MetadataFile), b); err != nil {
		return nil, err
	}
	for _, f := range up.UploadedArtifacts {
		dst := path.Join(root, artifactDir(f), path.Base(f))
		if err := c.upload(ctx, dst, filepath.Join(s.Dir, filepath.FromSlash(f))); err != nil {
			return nil, fmt.Errorf("artifact %s: %w", f, err)
		}
	}
	return up, nil
}

// artifactRoot is the run's directory in the tracking server's proxied
// artifact store: the path of its mlflow-artifacts: URI.
func artifactRoot(uri string) (string, error) {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "mlflow-artifacts" {
		return "", fmt.Errorf("artifacts: the run's artifact store %q is not served by the tracking server (run `mlflow server` with artifact serving, its default)", uri)
	}
	return strings.Trim(u.Path, "/"), nil
}

// MLflow's log-batch limits per request.
const (
	maxBatch  = 1000
	maxParams = 100
	maxTags   = 100
)

// logBatches sends the run's data in as few log-batch calls as MLflow's
// limits allow. Non-finite values are left out: JSON cannot carry them.
func (c *client) logBatches(ctx context.Context, runID string, metrics map[string]float64, params, tags map[string]string) error {
	now := time.Now().UnixMilli()
	var ms []metric
	for _, k := range sortedKeys(metrics) {
		if v := metrics[k]; !math.IsNaN(v) && !math.IsInf(v, 0) {
			ms = append(ms, metric{k, v, now, 0})
		}
	}
	ps, ts := pairs(params), pairs(tags)
	for len(ms)+len(ps)+len(ts) > 0 {
		p, t := ps[:min(len(ps), maxParams)], ts[:min(len(ts), maxTags)]
		m := ms[:min(len(ms), maxBatch-len(p)-len(t))]
		ps, ts, ms = ps[len(p):], ts[len(t):], ms[len(m):]
		req := map[string]any{"run_id": runID, "metrics": m, "params": p, "tags": t}
		if err := c.call(ctx, "runs/log-batch", nil, req, nil); err != nil {
			return err
		}
	}
	return nil
}

func pairs(m map[string]string) []keyValue {
	out := []keyValue{}
	for _, k := range sortedKeys(m) {
		out = append(out, keyValue{k, m[k]})
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func writeAtomic(name string, b []byte) error {
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}

// FormatFloat is how a number becomes a param value.
func FormatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
