package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/upload/mlflow/mlflowtest"
)

func TestProfileUploadsToMLflow(t *testing.T) {
	srv := mlflowtest.New()
	defer srv.Close()
	t.Setenv("MLFLOW_TRACKING_TOKEN", "tok-123")
	dir, printed := profileUploads(t, "--mlflow-tracking-uri", srv.URL, "--mlflow-experiment", "bench", "--mlflow-run-name", "nightly",
		"--mlflow-tag", "team:perf,gpu:h100")
	srv.Lock()
	defer srv.Unlock()
	run := onlyRun(t, srv.Runs)
	if run.Name != "nightly" || run.ExperimentID != srv.Experiments["bench"] || run.Status != "FINISHED" {
		t.Errorf("run %+v", run)
	}
	if run.Metrics["request_count"] != 3 || run.Metrics["aiperf.completed_requests"] != 3 || run.Metrics["time_to_first_token.p99"] <= 0 ||
		run.Metrics["time_to_first_token"] <= 0 {
		t.Errorf("metrics %v", run.Metrics)
	}
	if run.Params["loadgen.concurrency"] != "2" || run.Params["endpoint.type"] != "chat" || run.Tags["team"] != "perf" || run.Tags["gpu"] != "h100" {
		t.Errorf("params %v tags %v", run.Params, run.Tags)
	}
	if strings.Contains(run.Params["aiperf.cli_command"]+run.Params["endpoint.urls"], "pw@") {
		t.Errorf("a password reached MLflow: %v", run.Params)
	}
	if run.Tags["aiperf.was_cancelled"] != "false" {
		t.Errorf("tags %v", run.Tags)
	}
	prefix := run.ExperimentID + "/" + run.ID + "/artifacts/exports/"
	for _, f := range []string{"profile_export_aiperf.json", "profile_export_aiperf.csv", "profile_export.jsonl", "inputs.json", "mlflow_export.json"} {
		disk, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || !bytes.Equal(srv.Artifacts[prefix+f], disk) {
			t.Errorf("artifact %s: %d bytes uploaded, %d on disk (%v)", f, len(srv.Artifacts[prefix+f]), len(disk), err)
		}
	}
	for _, a := range srv.Auth {
		if a != "Bearer tok-123" {
			t.Fatalf("Authorization %q", a)
		}
	}
	if strings.Contains(printed, "tok-123") {
		t.Error("the token was printed")
	}
}

// A tracking server that is down costs one warning line; the run, its
// files and its exit code stand.
func TestProfileMLflowFailureIsAWarning(t *testing.T) {
	srv := mlflowtest.New()
	srv.Close()
	profileWarnsOnce(t, "Warning: MLflow upload to "+srv.URL+" failed", "--mlflow-tracking-uri", srv.URL)
}
