// Package wandbtest is a loopback W&B server for tests: the calls a run
// upload makes, in the wire format of the wandb client (github.com/wandb/wandb):
// GraphQL upsertBucket and createRunFiles (core/api/graphql/mutation_run.graphql,
// mutation_create_run_files.graphql) with basic auth "api:<key>", signed
// upload URLs with the headers createRunFiles names, and the file stream
// (core/internal/filestream/filestreamrequest.go, FileStreamRequestJSON),
// recording what it got.
package wandbtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

// Run is one run as the server holds it.
type Run struct {
	Entity, Project, ID, DisplayName, Program string
	Tags                                      []string
	Config                                    map[string]json.RawMessage // as sent: each {"value": ...}
	Files                                     map[string][]byte          // uploaded run files by name
	Stream                                    map[string][]string        // file stream files by name, line by line
	Complete                                  bool
	ExitCode                                  int
}

// Server is the fake W&B server.
type Server struct {
	*httptest.Server
	mu     sync.Mutex
	Key    string // the API key it accepts
	Entity string // the key's default entity
	Runs   map[string]*Run
	// FailFileStream makes every file stream call fail with a 500.
	FailFileStream bool
}

// UploadHeader is the header createRunFiles asks uploads to carry.
const UploadHeader = "X-Test-Upload"

// New starts a server on 127.0.0.1 accepting key; Close stops it.
func New(key string) *Server {
	s := &Server{Key: key, Entity: "default-entity", Runs: map[string]*Run{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Lock and Unlock guard the recorded fields.
func (s *Server) Lock()   { s.mu.Lock() }
func (s *Server) Unlock() { s.mu.Unlock() }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if key, ok := strings.CutPrefix(r.URL.Path, "/storage/"); ok && r.Method == http.MethodPut {
		s.upload(w, r, key)
		return
	}
	if user, pass, ok := r.BasicAuth(); !ok || user != "api" || pass != s.Key {
		http.Error(w, `{"errors":[{"message":"user is not logged in"}]}`, http.StatusUnauthorized)
		return
	}
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
		http.Error(w, "want a JSON POST", http.StatusBadRequest)
		return
	}
	if r.URL.Path == "/graphql" {
		s.graphql(w, r)
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) == 5 && parts[0] == "files" && parts[4] == "file_stream" {
		s.fileStream(w, r, parts[1], parts[2], parts[3])
		return
	}
	http.NotFound(w, r)
}

func (s *Server) run(entity, project, id string) *Run { return s.Runs[entity+"/"+project+"/"+id] }

func gqlReply(w http.ResponseWriter, data any, errMsg string) {
	w.Header().Set("Content-Type", "application/json")
	if errMsg != "" {
		json.NewEncoder(w).Encode(map[string]any{"data": nil, "errors": []map[string]string{{"message": errMsg}}})
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"data": data})
}

func (s *Server) graphql(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Query     string                     `json:"query"`
		Variables map[string]json.RawMessage `json:"variables"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	str := func(k string) string {
		var v string
		json.Unmarshal(req.Variables[k], &v)
		return v
	}
	switch {
	case strings.Contains(req.Query, "upsertBucket("):
		entity, project, id := str("entity"), str("project"), str("name")
		if entity == "" {
			entity = s.Entity
		}
		if project == "" || id == "" {
			gqlReply(w, nil, "upsertBucket needs a project and a run name")
			return
		}
		var config map[string]json.RawMessage
		if err := json.Unmarshal([]byte(str("config")), &config); err != nil {
			gqlReply(w, nil, "config is not a JSONString of an object: "+err.Error())
			return
		}
		run := &Run{Entity: entity, Project: project, ID: id, DisplayName: str("displayName"), Program: str("program"), Config: config,
			Files: map[string][]byte{}, Stream: map[string][]string{}}
		json.Unmarshal(req.Variables["tags"], &run.Tags)
		s.Runs[entity+"/"+project+"/"+id] = run
		gqlReply(w, map[string]any{"upsertBucket": map[string]any{"inserted": true, "bucket": map[string]any{
			"id": "UnVuOnYx", "name": id, "displayName": run.DisplayName,
			"project": map[string]any{"id": "UHJvamVjdA==", "name": project, "entity": map[string]any{"id": "RW50aXR5", "name": entity}}}}}, "")
	case strings.Contains(req.Query, "createRunFiles("):
		run := s.run(str("entity"), str("project"), str("run"))
		if run == nil {
			gqlReply(w, nil, "run not found")
			return
		}
		var names []string
		json.Unmarshal(req.Variables["files"], &names)
		var files []map[string]string
		for _, n := range names {
			files = append(files, map[string]string{"name": n,
				"uploadUrl": fmt.Sprintf("%s/storage/%s/%s/%s/%s?signature=abc", s.URL, run.Entity, run.Project, run.ID, n)})
		}
		gqlReply(w, map[string]any{"createRunFiles": map[string]any{"runID": "UnVuOnYx", "uploadHeaders": []string{UploadHeader + ":yes"}, "files": files}}, "")
	default:
		gqlReply(w, nil, "unknown operation")
	}
}

// upload takes a PUT to a signed URL: no API key, the asked-for header.
func (s *Server) upload(w http.ResponseWriter, r *http.Request, key string) {
	if _, _, ok := r.BasicAuth(); ok || r.URL.Query().Get("signature") != "abc" || r.Header.Get(UploadHeader) != "yes" {
		http.Error(w, "a signed upload carries its signature and headers, not the API key", http.StatusForbidden)
		return
	}
	parts := strings.SplitN(key, "/", 4)
	if len(parts) != 4 || s.run(parts[0], parts[1], parts[2]) == nil {
		http.NotFound(w, r)
		return
	}
	b, _ := io.ReadAll(r.Body)
	s.run(parts[0], parts[1], parts[2]).Files[parts[3]] = b
}

// fileStream applies a FileStreamRequestJSON: each file's content lines
// written from its offset; complete and exitcode finish the run.
func (s *Server) fileStream(w http.ResponseWriter, r *http.Request, entity, project, id string) {
	run := s.run(entity, project, id)
	if run == nil {
		http.NotFound(w, r)
		return
	}
	if s.FailFileStream {
		http.Error(w, "file stream down", http.StatusInternalServerError)
		return
	}
	var req struct {
		Files map[string]struct {
			Offset  int      `json:"offset"`
			Content []string `json:"content"`
		} `json:"files"`
		Complete *bool `json:"complete"`
		ExitCode *int  `json:"exitcode"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	for name, f := range req.Files {
		lines := run.Stream[name]
		if f.Offset > len(lines) {
			http.Error(w, "offset past the end of "+name, http.StatusBadRequest)
			return
		}
		run.Stream[name] = append(lines[:f.Offset], f.Content...)
	}
	if req.Complete != nil && *req.Complete {
		run.Complete = true
		if req.ExitCode != nil {
			run.ExitCode = *req.ExitCode
		}
	}
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"exitcode": null, "limits": {}}`)
}
