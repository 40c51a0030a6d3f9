package wandb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/upload/wandb/wandbtest"
)

// runDir is an artifact directory as a profile run leaves it.
func runDir(t *testing.T) string {
	dir := t.TempDir()
	testkit.WriteFiles(t, dir, map[string]string{
		"profile_export_aiperf.json": `{"x":1}`, "profile_export_aiperf.csv": "a,b\n", "inputs.json": "{}",
		"plots/ttft_over_time.png": "PNG", "logs/aiperf.log": "log",
	})
	return dir
}

func summary(dir string) Summary {
	return Summary{Dir: dir, Config: map[string]any{"endpoint.type": "chat", "loadgen.concurrency": 2}, Tags: []string{"aiperf-exporter-test"},
		Columns: []string{"Metric", "avg", "p99"}, Rows: [][]any{{"Time to First Token (ms)", 12.5, 30.25}, {"Request Count (requests)", 3.0, nil}}}
}

func TestUploadCreatesTheRunAIPerfDoes(t *testing.T) {
	srv := wandbtest.New("k3y")
	defer srv.Close()
	// checked while the server is still up: the upload ends its connections
	defer testkit.NoLeaks(t, goleak.IgnoreCurrent())
	dir := runDir(t)
	cfg := Config{BaseURL: srv.URL, Project: "bench", RunName: "nightly", Tags: []string{"gpu-h100"}, APIKey: "k3y"}
	up, err := Upload(context.Background(), cfg, summary(dir))
	if err != nil {
		t.Fatal(err)
	}
	srv.Lock()
	defer srv.Unlock()
	run := srv.Runs["default-entity/bench/"+up.RunID]
	if run == nil || up.Entity != "default-entity" || up.Project != "bench" || len(up.RunID) != 8 {
		t.Fatalf("uploaded %+v, runs %v", up, srv.Runs)
	}
	if run.DisplayName != "nightly" || !slices.Equal(run.Tags, []string{"aiperf-exporter-test", "gpu-h100"}) || !run.Complete || run.ExitCode != 0 {
		t.Errorf("run %+v", run)
	}
	if string(run.Config["endpoint.type"]) != `{"value":"chat"}` || string(run.Config["loadgen.concurrency"]) != `{"value":2}` {
		t.Errorf("config %s", run.Config)
	}
	// the export files are the run's aiperf-run artifact, committed
	if len(srv.Artifacts) != 1 || len(run.Files) != 1 {
		t.Fatalf("%d artifacts, run files %v", len(srv.Artifacts), run.Files)
	}
	for _, a := range srv.Artifacts {
		if a.Type != ArtifactType || a.Name != "aiperf-"+up.RunID || a.Run != up.RunID || a.State != "COMMITTED" || !slices.Equal(a.Aliases, []string{"latest"}) ||
			up.Artifact != a.Name || len(up.ArtifactFiles) != 4 {
			t.Errorf("artifact %+v, uploaded %+v", a, up)
		}
		for _, f := range []string{"profile_export_aiperf.json", "profile_export_aiperf.csv", "inputs.json", "plots/ttft_over_time.png"} {
			disk, _ := os.ReadFile(filepath.Join(dir, f))
			if string(a.Files[f]) != string(disk) {
				t.Errorf("file %s: %q uploaded, %q on disk", f, a.Files[f], disk)
			}
		}
		if _, ok := a.Files["logs/aiperf.log"]; ok {
			t.Error("the log matched none of AIPerf's globs but was uploaded")
		}
	}
	// the history line and the summary point at the uploaded table file
	if len(run.Stream["wandb-history.jsonl"]) != 1 || len(run.Stream["wandb-summary.json"]) != 1 {
		t.Fatalf("stream %v", run.Stream)
	}
	var row struct {
		Table TableRef `json:"summary_metrics"`
		Step  *int     `json:"_step"`
	}
	if err := json.Unmarshal([]byte(run.Stream["wandb-history.jsonl"][0]), &row); err != nil || row.Step == nil || *row.Step != 0 {
		t.Fatalf("history %q (%v)", run.Stream["wandb-history.jsonl"], err)
	}
	ref := row.Table
	body := run.Files[ref.Path]
	sum := sha256.Sum256(body)
	if ref.Type != "table-file" || !strings.HasPrefix(ref.Path, "media/table/summary_metrics_0_") || hex.EncodeToString(sum[:]) != ref.SHA256 ||
		ref.Size != len(body) || ref.NCols != 3 || ref.NRows != 2 {
		t.Errorf("table ref %+v, file %q", ref, body)
	}
	if want := `{"columns":["Metric","avg","p99"],"data":[["Time to First Token (ms)",12.5,30.25],["Request Count (requests)",3,null]]}`; string(body) != want {
		t.Errorf("table %s\nwant  %s", body, want)
	}
	if run.Stream["wandb-summary.json"][0] != run.Stream["wandb-history.jsonl"][0] {
		t.Errorf("summary %q", run.Stream["wandb-summary.json"])
	}
}

func TestUploadNamesTheEntityAndADefaultRunName(t *testing.T) {
	srv := wandbtest.New("k")
	defer srv.Close()
	up, err := Upload(context.Background(), Config{BaseURL: srv.URL, Project: "p", Entity: "team", APIKey: "k"}, summary(runDir(t)))
	if err != nil {
		t.Fatal(err)
	}
	srv.Lock()
	defer srv.Unlock()
	if run := srv.Runs["team/p/"+up.RunID]; run == nil || !strings.HasPrefix(run.DisplayName, "aiperf-") || run.DisplayName != up.RunName {
		t.Errorf("uploaded %+v runs %v", up, srv.Runs)
	}
}

// Files the server stores already (the same MD5) are not sent again; the
// artifact still lists them and commits.
func TestUploadSkipsStoredFiles(t *testing.T) {
	srv := wandbtest.New("k")
	defer srv.Close()
	dir := runDir(t)
	cfg := Config{BaseURL: srv.URL, Project: "p", APIKey: "k"}
	if _, err := Upload(context.Background(), cfg, summary(dir)); err != nil {
		t.Fatal(err)
	}
	up, err := Upload(context.Background(), cfg, summary(dir))
	if err != nil {
		t.Fatal(err)
	}
	srv.Lock()
	defer srv.Unlock()
	for _, a := range srv.Artifacts {
		if a.Run == up.RunID && (a.State != "COMMITTED" || len(a.Files) != 0 || len(a.Manifest) == 0) {
			t.Errorf("second artifact %s: %d files sent again, manifest %d bytes", a.State, len(a.Files), len(a.Manifest))
		}
	}
}

func TestUploadFailures(t *testing.T) {
	for _, c := range []struct {
		name, key, want string
		dir             string // "": a good one
		failStream      bool
		exit            int // the run's exit code on the server; -1: no run
	}{
		{name: "wrong key", key: "bad-key-0123456789", want: "upsertBucket: HTTP 401", exit: -1},
		{name: "directory gone", key: "wandb-key-0123456789", dir: "/nonexistent/aiperf", want: "files:", exit: 1},
		{name: "file stream down", key: "wandb-key-0123456789", failStream: true, want: "file_stream: HTTP 500", exit: 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := wandbtest.New("wandb-key-0123456789")
			defer srv.Close()
			srv.FailFileStream = c.failStream
			s := summary(runDir(t))
			if c.dir != "" {
				s.Dir = c.dir
			}
			_, err := Upload(context.Background(), Config{BaseURL: srv.URL, Project: "p", APIKey: c.key}, s)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
			if c.key != "" && strings.Contains(err.Error(), c.key) {
				t.Errorf("the key is in the error: %v", err)
			}
			srv.Lock()
			defer srv.Unlock()
			if c.exit < 0 {
				if len(srv.Runs) != 0 {
					t.Errorf("runs %v", srv.Runs)
				}
				return
			}
			if len(srv.Runs) != 1 {
				t.Fatalf("%d runs, want the one the upload made", len(srv.Runs))
			}
			for _, run := range srv.Runs {
				if run.Complete != !c.failStream || run.ExitCode != c.exit {
					t.Errorf("run complete %v exit %d, want exit %d", run.Complete, run.ExitCode, c.exit)
				}
			}
		})
	}
}

func TestCheckBaseURL(t *testing.T) {
	for _, c := range []struct{ in, want, err string }{
		{"", DefaultBaseURL, ""},
		{" http://127.0.0.1:8080/ ", "http://127.0.0.1:8080", ""},
		{"https://wandb.example.com", "https://wandb.example.com", ""},
		{"api.wandb.ai", "", "not a W&B server's http(s) URL"},
		{"ftp://user:secret@host", "", "redacted@host"},
		{"https://user:secret@wandb.example.com", "", "no query, fragment or user info"},
		{"https://wandb.example.com/?x=1", "", "no query, fragment or user info"},
		{"https://wandb.example.com/#top", "", "no query, fragment or user info"},
	} {
		got, err := CheckBaseURL(c.in)
		if got != c.want || (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("CheckBaseURL(%q) = %q, %v; want %q, %q", c.in, got, err, c.want, c.err)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("the password is in %v", err)
		}
	}
}

func TestCheckTags(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want []string
		err  string
	}{
		{nil, nil, ""},
		{[]string{" a ", "b-c"}, []string{"a", "b-c"}, ""},
		{[]string{"a", " "}, nil, "cannot be empty"},
		{[]string{strings.Repeat("x", 65)}, nil, "longer than W&B's 64"},
		{[]string{strings.Repeat("x", 64)}, []string{strings.Repeat("x", 64)}, ""},
		{[]string{strings.Repeat("é", 64)}, []string{strings.Repeat("é", 64)}, ""}, // characters, not bytes
	} {
		got, err := CheckTags(c.in)
		if !slices.Equal(got, c.want) || (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("CheckTags(%q) = %q, %v", c.in, got, err)
		}
	}
}

// A file that is a named pipe by the time it is hashed or sent is one error
// naming it, never a wait for a writer.
func TestNamedPipeIsRefused(t *testing.T) {
	srv := wandbtest.New("k3y")
	defer srv.Close()
	c := &client{files: http.DefaultClient}
	for what, send := range map[string]func(string) error{
		"hash": func(p string) error { _, _, err := fileMD5(p); return err },
		"put":  func(p string) error { return c.putFile(context.Background(), srv.URL+"/put", nil, p, "pipe") },
	} {
		if err := send(testkit.NamedPipe(t)); err == nil || !strings.Contains(err.Error(), "not a regular file (a named pipe)") {
			t.Errorf("%s of a named pipe: %v", what, err)
		}
	}
}

// A GraphQL error is quoted as an HTTP error's excerpt: one line, cut whole.
func TestGraphQLErrorIsOneLine(t *testing.T) {
	msg := "syntax error\n  at line 1\n" + strings.Repeat("é", 200)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]string{{"message": msg}}})
	}))
	defer srv.Close()
	c := &client{base: srv.URL, http: srv.Client()}
	err := c.graphql(context.Background(), "viewer", "{ viewer { id } }", nil, &struct{}{})
	want := `viewer: syntax error\n  at line 1\n` + strings.Repeat("é", 87)
	if err == nil || err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}
