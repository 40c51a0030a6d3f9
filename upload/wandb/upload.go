package wandb

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/boundedfile"
	"github.com/aiperf-exporter/aiperf-exporter/upload/internal/rest"
	"github.com/aiperf-exporter/aiperf-exporter/upload/mlflow"
)

// requestTimeout bounds each GraphQL and file stream call; uploadTimeout
// each file, which may be large (inputs.json).
const (
	requestTimeout = 60 * time.Second
	uploadTimeout  = 30 * time.Minute
)

// TableKey is the key AIPerf logs its summary table under.
const TableKey = "summary_metrics"

// Summary is what one run uploads.
type Summary struct {
	Config  map[string]any // the run's settings, one config entry each
	Tags    []string       // built-in tags; Config.Tags follow them
	Columns []string       // the summary table: "Metric", then the statistics
	Rows    [][]any        // one row per metric: its label, then numbers or nil
	Dir     string         // the artifact directory
}

// Uploaded says what Upload did.
type Uploaded struct {
	Entity, Project, RunID, RunName string
	Files                           []string // the run files: the table's
	Artifact                        string   // the output artifact, aiperf-<run id>; "" without files
	ArtifactFiles                   []string // its files, relative to the artifact directory
}

// Upload creates the run, uploads the summary table as its file, logs the
// export files as its aiperf-run artifact, logs the table and finishes the
// run. A run left half-done
// is finished with exit code 1, so W&B shows it failed.
func Upload(ctx context.Context, cfg Config, s Summary) (*Uploaded, error) {
	// A transport of its own, whose idle connections go with the upload.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	defer tr.CloseIdleConnections()
	c := &client{base: cfg.BaseURL, key: cfg.APIKey, http: &http.Client{Timeout: requestTimeout, Transport: tr},
		files: &http.Client{Timeout: uploadTimeout, Transport: tr}}
	name := cfg.RunName
	if name == "" {
		name = fmt.Sprintf("aiperf-%d", time.Now().Unix())
	}
	start := time.Now()
	up, err := c.upsertRun(ctx, cfg, s, newRunID(), name)
	if err != nil {
		return nil, err
	}
	stream := fmt.Sprintf("/files/%s/%s/%s/file_stream", up.Entity, up.Project, up.RunID)
	err = c.fill(ctx, up, s, stream, start)
	exit := 0
	if err != nil {
		exit = 1
	}
	if ferr := c.post(ctx, stream, map[string]any{"complete": true, "exitcode": exit}, nil, "file_stream"); err == nil && ferr != nil {
		err = ferr
	}
	if err != nil {
		return nil, fmt.Errorf("run %s: %w", up.RunID, err)
	}
	return up, nil
}

// newRunID is a run ID as the wandb client makes one: 8 characters of
// lower-case letters and digits.
func newRunID() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 8)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// upsertBucketQuery creates the run (core/api/graphql/mutation_run.graphql
// in github.com/wandb/wandb, the fields we send).
const upsertBucketQuery = `mutation UpsertBucket($name: String, $project: String, $entity: String, $displayName: String, $config: JSONString, $program: String, $tags: [String!]) {
  upsertBucket(input: {name: $name, modelName: $project, entityName: $entity, displayName: $displayName, config: $config, jobProgram: $program, tags: $tags}) {
    bucket { id name displayName project { id name entity { id name } } }
    inserted
  }
}`

func (c *client) upsertRun(ctx context.Context, cfg Config, s Summary, id, name string) (*Uploaded, error) {
	// W&B's config: each key's value under "value", as the wandb client sends it.
	conf := map[string]any{}
	for k, v := range s.Config {
		conf[k] = map[string]any{"value": v}
	}
	confJSON, err := json.Marshal(conf)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	vars := map[string]any{"name": id, "project": cfg.Project, "displayName": name, "config": string(confJSON),
		"program": "aiperf-exporter", "tags": append(append([]string{}, s.Tags...), cfg.Tags...)}
	if cfg.Entity != "" {
		vars["entity"] = cfg.Entity
	}
	var got struct {
		UpsertBucket *struct {
			Bucket struct {
				Name    string `json:"name"`
				Project struct {
					Name   string `json:"name"`
					Entity struct {
						Name string `json:"name"`
					} `json:"entity"`
				} `json:"project"`
			} `json:"bucket"`
		} `json:"upsertBucket"`
	}
	if err := c.graphql(ctx, "upsertBucket", upsertBucketQuery, vars, &got); err != nil {
		return nil, err
	}
	if got.UpsertBucket == nil || got.UpsertBucket.Bucket.Project.Entity.Name == "" {
		return nil, fmt.Errorf("upsertBucket: the reply names no run entity")
	}
	b := got.UpsertBucket.Bucket
	return &Uploaded{Entity: b.Project.Entity.Name, Project: b.Project.Name, RunID: id, RunName: name}, nil
}

// createRunFilesQuery asks for the files' upload URLs
// (core/api/graphql/mutation_create_run_files.graphql).
const createRunFilesQuery = `mutation CreateRunFiles($entity: String!, $project: String!, $run: String!, $files: [String!]!) {
  createRunFiles(input: {entityName: $entity, projectName: $project, runName: $run, files: $files}) {
    runID
    uploadHeaders
    files { name uploadUrl }
  }
}`

// fill uploads the table as a run file, logs the export files as the
// run's artifact and streams the history line and the summary that name
// the table.
func (c *client) fill(ctx context.Context, up *Uploaded, s Summary, stream string, start time.Time) error {
	tableJSON, ref, err := table(s.Columns, s.Rows)
	if err != nil {
		return err
	}
	exports, err := mlflow.Files(s.Dir, mlflow.DefaultGlobs) // AIPerf's W&B globs are its MLflow ones
	if err != nil {
		return fmt.Errorf("files: %w", err)
	}
	var got struct {
		CreateRunFiles *struct {
			UploadHeaders []string `json:"uploadHeaders"`
			Files         []struct {
				Name      string `json:"name"`
				UploadURL string `json:"uploadUrl"`
			} `json:"files"`
		} `json:"createRunFiles"`
	}
	vars := map[string]any{"entity": up.Entity, "project": up.Project, "run": up.RunID, "files": []string{ref.Path}}
	if err := c.graphql(ctx, "createRunFiles", createRunFilesQuery, vars, &got); err != nil {
		return err
	}
	if got.CreateRunFiles == nil || len(got.CreateRunFiles.Files) != 1 || got.CreateRunFiles.Files[0].UploadURL == "" {
		return fmt.Errorf("createRunFiles: no upload URL for %s", ref.Path)
	}
	err = c.put(ctx, got.CreateRunFiles.Files[0].UploadURL, got.CreateRunFiles.UploadHeaders, bytes.NewReader(tableJSON), int64(len(tableJSON)), ref.Path)
	if err != nil {
		return err
	}
	up.Files = []string{ref.Path}
	if len(exports) > 0 {
		if err := c.logArtifact(ctx, up, s.Dir, exports); err != nil {
			return err
		}
		up.Artifact, up.ArtifactFiles = "aiperf-"+up.RunID, exports
	}
	now := time.Now()
	row := map[string]any{TableKey: ref, "_step": 0, "_runtime": now.Sub(start).Seconds(), "_timestamp": float64(now.UnixNano()) / 1e9}
	line, err := json.Marshal(row)
	if err != nil {
		return err
	}
	files := map[string]any{
		"wandb-history.jsonl": map[string]any{"offset": 0, "content": []string{string(line)}},
		"wandb-summary.json":  map[string]any{"offset": 0, "content": []string{string(line)}},
	}
	return c.post(ctx, stream, map[string]any{"files": files}, nil, "file_stream")
}

// TableRef is how a logged wandb.Table appears in the history and summary:
// a pointer to its JSON file among the run's files.
type TableRef struct {
	Type   string `json:"_type"` // "table-file"
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int    `json:"size"`
	NCols  int    `json:"ncols"`
	NRows  int    `json:"nrows"`
}

// table is the table's JSON file ({"columns": ..., "data": ...}) and its
// reference, named as the wandb client names the first log of a table
// under TableKey.
func table(columns []string, rows [][]any) ([]byte, TableRef, error) {
	data := make([][]any, len(rows))
	for i, r := range rows {
		data[i] = make([]any, len(r))
		for j, v := range r {
			if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
				v = nil // JSON cannot carry them
			}
			data[i][j] = v
		}
	}
	b, err := json.Marshal(map[string]any{"columns": columns, "data": data})
	if err != nil {
		return nil, TableRef{}, fmt.Errorf("table: %w", err)
	}
	sum := sha256.Sum256(b)
	digest := hex.EncodeToString(sum[:])
	ref := TableRef{Type: "table-file", Path: fmt.Sprintf("media/table/%s_0_%s.table.json", TableKey, digest[:20]), SHA256: digest,
		Size: len(b), NCols: len(columns), NRows: len(rows)}
	return b, ref, nil
}

// putFile uploads the file at name.
func (c *client) putFile(ctx context.Context, uploadURL string, headers []string, name, what string) error {
	f, size, err := boundedfile.Open(name, rest.MaxFile) // a named pipe is never opened
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer f.Close()
	return c.put(ctx, uploadURL, headers, f, size, what)
}
