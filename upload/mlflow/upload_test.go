package mlflow

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/upload/mlflow/mlflowtest"
)

// runDir is an artifact directory as a profile run leaves it.
func runDir(t *testing.T) string {
	dir := t.TempDir()
	testkit.WriteFiles(t, dir, map[string]string{
		"profile_export_aiperf.json": `{"x":1}`, "profile_export_aiperf.csv": "a,b\n", "profile_export.jsonl": "{}\n",
		"inputs.json": "{}", "plots/ttft_over_time.png": "PNG", "logs/aiperf.log": "log", MetadataFile: "stale",
	})
	return dir
}

func TestUploadCreatesTheRunAIPerfDoes(t *testing.T) {
	srv := mlflowtest.New()
	defer srv.Close()
	// checked while the server is still up: the upload ends its connections
	defer testkit.NoLeaks(t, goleak.IgnoreCurrent())
	dir := runDir(t)
	cfg := Config{TrackingURI: srv.URL, Experiment: "bench", RunName: "nightly", Tags: map[string]string{"team": "perf", "aiperf.was_cancelled": "maybe"},
		Globs: DefaultGlobs, Token: "s3cret"}
	sum := Summary{Dir: dir, Metrics: map[string]float64{"time_to_first_token": 12.5, "time_to_first_token.p99": 30}, Params: map[string]string{"endpoint.type": "chat"},
		Tags: map[string]string{"aiperf.was_cancelled": "false", "aiperf.version": "test"}}
	up, err := Upload(context.Background(), cfg, sum, func(s string) { t.Error("warning:", s) })
	if err != nil {
		t.Fatal(err)
	}
	srv.Lock()
	defer srv.Unlock()
	run := srv.Runs[up.RunID]
	if run == nil || run.ExperimentID != srv.Experiments["bench"] || run.Name != "nightly" || run.Status != "FINISHED" || run.EndTime == 0 {
		t.Fatalf("run %+v", run)
	}
	if !maps.Equal(run.Metrics, sum.Metrics) || run.Params["endpoint.type"] != "chat" {
		t.Errorf("metrics %v params %v", run.Metrics, run.Params)
	}
	// the user's tags win over the built-in ones, as AIPerf updates them last
	if run.Tags["team"] != "perf" || run.Tags["aiperf.was_cancelled"] != "maybe" || run.Tags["mlflow.runName"] != "nightly" || run.Tags["aiperf.version"] != "test" {
		t.Errorf("tags %v", run.Tags)
	}
	root := srv.Experiments["bench"] + "/" + up.RunID + "/artifacts/"
	want := []string{"exports/inputs.json", "exports/mlflow_export.json", "exports/profile_export.jsonl", "exports/profile_export_aiperf.csv",
		"exports/profile_export_aiperf.json", "plots/ttft_over_time.png"}
	var got []string
	for p := range srv.Artifacts {
		got = append(got, strings.TrimPrefix(p, root))
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("artifacts %q, want %q", got, want)
	}
	if string(srv.Artifacts[root+"plots/ttft_over_time.png"]) != "PNG" {
		t.Error("the plot's bytes changed on the way")
	}
	var meta Uploaded
	disk, _ := os.ReadFile(filepath.Join(dir, MetadataFile))
	if err := json.Unmarshal(disk, &meta); err != nil || meta.RunID != up.RunID || meta.Experiment != "bench" || len(meta.UploadedArtifacts) != 6 {
		t.Errorf("mlflow_export.json %s (%v)", disk, err)
	}
	if string(srv.Artifacts[root+"exports/mlflow_export.json"]) != string(disk) {
		t.Error("the uploaded mlflow_export.json differs from the one on disk")
	}
	for _, a := range srv.Auth {
		if a != "Bearer s3cret" {
			t.Fatalf("Authorization %q", a)
		}
	}
}

func TestUploadParentRun(t *testing.T) {
	srv := mlflowtest.New()
	defer srv.Close()
	first, err := Upload(context.Background(), Config{TrackingURI: srv.URL, Experiment: "e"}, Summary{Dir: t.TempDir()}, func(string) {})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		parent, wantTag string
		warns           int
	}{{first.RunID, first.RunID, 0}, {"gone", "", 1}} {
		var warnings []string
		up, err := Upload(context.Background(), Config{TrackingURI: srv.URL, Experiment: "e", ParentRunID: c.parent}, Summary{Dir: t.TempDir()},
			func(s string) { warnings = append(warnings, s) })
		if err != nil {
			t.Fatal(err)
		}
		srv.Lock()
		tag := srv.Runs[up.RunID].Tags["mlflow.parentRunId"]
		srv.Unlock()
		if tag != c.wantTag || len(warnings) != c.warns {
			t.Errorf("parent %q: tag %q, warnings %q", c.parent, tag, warnings)
		}
	}
}

func TestUploadBatchesWithinMLflowsLimits(t *testing.T) {
	srv := mlflowtest.New()
	defer srv.Close()
	sum := Summary{Dir: t.TempDir(), Metrics: map[string]float64{}, Params: map[string]string{}}
	for i := range 1500 {
		sum.Metrics[fmt.Sprintf("m%04d", i)] = float64(i)
	}
	for i := range 150 {
		sum.Params[fmt.Sprintf("p%03d", i)] = "v"
	}
	up, err := Upload(context.Background(), Config{TrackingURI: srv.URL, Experiment: "e"}, sum, func(string) {})
	if err != nil {
		t.Fatal(err)
	}
	srv.Lock()
	defer srv.Unlock()
	run := srv.Runs[up.RunID]
	if len(run.Metrics) != 1500 || len(run.Params) != 150 || run.Batches != 2 {
		t.Errorf("%d metrics, %d params in %d batches", len(run.Metrics), len(run.Params), run.Batches)
	}
}

func TestUploadFailures(t *testing.T) {
	srv := mlflowtest.New()
	defer srv.Close()
	srv.Experiments["old"] = "7"
	srv.Deleted["old"] = true
	if _, err := Upload(context.Background(), Config{TrackingURI: srv.URL, Experiment: "old"}, Summary{Dir: t.TempDir()}, func(string) {}); err == nil ||
		!strings.Contains(err.Error(), "deleted") {
		t.Errorf("deleted experiment: %v", err)
	}
	srv.FailLogBatch = true
	_, err := Upload(context.Background(), Config{TrackingURI: srv.URL, Experiment: "e"}, Summary{Dir: t.TempDir(), Metrics: map[string]float64{"x": 1}}, func(string) {})
	if err == nil || !strings.Contains(err.Error(), "INTERNAL_ERROR: the store is down") {
		t.Errorf("log-batch 500: %v", err)
	}
	srv.Lock()
	defer srv.Unlock()
	for _, r := range srv.Runs {
		if r.Status != "FAILED" {
			t.Errorf("a run whose upload failed is %s", r.Status)
		}
	}
	srv.Close()
	if _, err := Upload(context.Background(), Config{TrackingURI: "http://u:hunter2@" + strings.TrimPrefix(srv.URL, "http://"), Experiment: "e"},
		Summary{Dir: t.TempDir()}, func(string) {}); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("server down: %v", err)
	}
}

func TestFiles(t *testing.T) {
	dir := runDir(t)
	for _, c := range []struct {
		globs []string
		want  []string
	}{
		{[]string{"*.json"}, []string{"inputs.json", "profile_export_aiperf.json"}},
		{[]string{"**/*.png"}, []string{"plots/ttft_over_time.png"}},
		{[]string{"**/*.log", "*.csv"}, []string{"logs/aiperf.log", "profile_export_aiperf.csv"}},
		{[]string{"*.json", "inputs.json"}, []string{"inputs.json", "profile_export_aiperf.json"}},
		{[]string{"plots/*"}, []string{"plots/ttft_over_time.png"}},
	} {
		got, err := Files(dir, c.globs)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("Files(%q) = %q, %v; want %q", c.globs, got, err, c.want)
		}
	}
}

func TestArtifactDir(t *testing.T) {
	for in, want := range map[string]string{"a.json": "exports", "plots/x.png": "plots", "plots/sub/x.svg": "plots/sub", "sweep/x.csv": "exports/sweep",
		"exports/x.csv": "exports", "x.html": "plots"} {
		if got := artifactDir(in); got != want {
			t.Errorf("artifactDir(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseTagsAndURI(t *testing.T) {
	got, err := ParseTags([]string{"team:perf", "env : ci,url:http://x:1", `{"gpu": "h100"}`})
	if err != nil || !maps.Equal(got, map[string]string{"team": "perf", "env": "ci", "url": "http://x:1", "gpu": "h100"}) {
		t.Errorf("ParseTags = %v, %v", got, err)
	}
	if _, err := ParseTags([]string{"team"}); err == nil {
		t.Error("a tag without a value was taken")
	}
	for in, ok := range map[string]bool{"http://127.0.0.1:5000/": true, "https://mlflow.example": true, "./mlruns": false, "databricks": false,
		"sqlite:///m.db": false, "": false} {
		if _, err := CheckTrackingURI(in); (err == nil) != ok {
			t.Errorf("CheckTrackingURI(%q): %v", in, err)
		}
	}
	// A URL that does not parse still never shows its password.
	if _, err := CheckTrackingURI("http://u:s3cret@host:99999x/?token=t0k"); err == nil || strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "t0k") {
		t.Errorf("a bad tracking URI's error shows its secrets: %v", err)
	}
}

// An artifact that is a named pipe by the time it is sent (Files lists only
// regular files) is one error, never a wait for a writer.
func TestUploadRefusesANamedPipe(t *testing.T) {
	srv := mlflowtest.New()
	defer srv.Close()
	c := &client{base: srv.URL, files: http.DefaultClient}
	err := c.upload(context.Background(), "exports/pipe", testkit.NamedPipe(t))
	if err == nil || !strings.Contains(err.Error(), "not a regular file (a named pipe)") {
		t.Errorf("upload of a named pipe: %v", err)
	}
}
