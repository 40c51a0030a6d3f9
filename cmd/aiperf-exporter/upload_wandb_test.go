package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/upload/wandb/wandbtest"
)

func TestProfileUploadsToWandb(t *testing.T) {
	srv := wandbtest.New("key-123")
	defer srv.Close()
	t.Setenv("WANDB_API_KEY", "key-123")
	t.Setenv("WANDB_BASE_URL", srv.URL)
	t.Setenv("WANDB_ENTITY", "")
	dir, printed := profileUploads(t, "--wandb-project", "bench", "--wandb-entity", "perf-team", "--wandb-run-name", "nightly",
		"--wandb-tag", "gpu-h100,nightly")
	srv.Lock()
	defer srv.Unlock()
	run := onlyRun(t, srv.Runs)
	if run.Entity != "perf-team" || run.Project != "bench" || run.DisplayName != "nightly" || !run.Complete || run.ExitCode != 0 {
		t.Errorf("run %+v", run)
	}
	if len(run.Tags) != 3 || !strings.HasPrefix(run.Tags[0], "aiperf-exporter-") || run.Tags[1] != "gpu-h100" || run.Tags[2] != "nightly" {
		t.Errorf("tags %q", run.Tags)
	}
	if string(run.Config["loadgen.concurrency"]) != `{"value":"2"}` || string(run.Config["endpoint.type"]) != `{"value":"chat"}` {
		t.Errorf("config %s", run.Config)
	}
	if strings.Contains(string(run.Config["aiperf.cli_command"])+string(run.Config["endpoint.urls"]), "pw@") {
		t.Errorf("a password reached W&B: %s", run.Config)
	}
	art := onlyRun(t, srv.Artifacts)
	if art.Name != "aiperf-"+run.ID || art.Type != "aiperf-run" || art.State != "COMMITTED" {
		t.Errorf("artifact %+v", art)
	}
	for _, f := range []string{"profile_export_aiperf.json", "profile_export_aiperf.csv", "profile_export.jsonl", "inputs.json"} {
		disk, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || !bytes.Equal(art.Files[f], disk) {
			t.Errorf("file %s: %d bytes uploaded, %d on disk (%v)", f, len(art.Files[f]), len(disk), err)
		}
	}
	// the logged table is the console's: TTFT's row has its numbers
	var row struct {
		Table struct{ Path string } `json:"summary_metrics"`
	}
	if len(run.Stream["wandb-history.jsonl"]) != 1 || json.Unmarshal([]byte(run.Stream["wandb-history.jsonl"][0]), &row) != nil {
		t.Fatalf("history %q", run.Stream["wandb-history.jsonl"])
	}
	var table struct {
		Columns []string
		Data    [][]any
	}
	if err := json.Unmarshal(run.Files[row.Table.Path], &table); err != nil || strings.Join(table.Columns, ",") != "Metric,avg,min,max,p99,p90,p50,std" {
		t.Fatalf("table %s (%v)", run.Files[row.Table.Path], err)
	}
	found := false
	for _, r := range table.Data {
		if r[0] == "Time to First Token (ms)" {
			found = true
			if v, ok := r[1].(float64); !ok || v <= 0 {
				t.Errorf("TTFT row %v", r)
			}
		}
	}
	if !found {
		t.Errorf("no TTFT row in %v", table.Data)
	}
	if strings.Contains(printed, "key-123") {
		t.Error("the API key was printed")
	}
}

// A W&B server that is down costs one warning line; the run, its files
// and its exit code stand.
func TestProfileWandbFailureIsAWarning(t *testing.T) {
	srv := wandbtest.New("k")
	srv.Close()
	t.Setenv("WANDB_API_KEY", "k")
	t.Setenv("WANDB_BASE_URL", srv.URL)
	profileWarnsOnce(t, "Warning: Weights & Biases upload to "+srv.URL+" failed", "--wandb-project", "p")
}
