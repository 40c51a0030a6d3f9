// Package wandbtest is a loopback W&B server for tests: the calls a run
// upload makes, in the wire format of the wandb client (github.com/wandb/wandb):
// GraphQL upsertBucket and createRunFiles (core/api/graphql/mutation_run.graphql,
// mutation_create_run_files.graphql) with basic auth "api:<key>", signed
// upload URLs with the headers createRunFiles names, and the file stream
// (core/internal/filestream/filestreamrequest.go, FileStreamRequestJSON),
// and the artifact calls of core/internal/artifacts/saver.go (createArtifact,
// createArtifactManifest, createArtifactFiles with Content-MD5-checked
// uploads, commitArtifact, which checks the manifest against the digests),
// recording what it got.
package wandbtest

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
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

// Artifact is one artifact version as the server holds it.
type Artifact struct {
	ID, Entity, Project, Run, Type, Name, Digest, State string
	Aliases                                             []string
	Manifest                                            []byte            // the uploaded wandb_manifest.json
	Files                                               map[string][]byte // uploaded files by name
	md5s                                                map[string]string // each file's declared base64 MD5
	manifestMD5                                         string
}

// Server is the fake W&B server.
type Server struct {
	*httptest.Server
	mu        sync.Mutex
	Key       string // the API key it accepts
	Entity    string // the key's default entity
	Runs      map[string]*Run
	Artifacts map[string]*Artifact // by ID
	// Stored are the base64 MD5s of the artifact files the server has;
	// createArtifactFiles asks for none of these.
	Stored map[string]bool
	// FailFileStream makes every file stream call fail with a 500.
	FailFileStream bool
}

// UploadHeader is the header createRunFiles asks uploads to carry.
const UploadHeader = "X-Test-Upload"

// New starts a server on 127.0.0.1 accepting key; Close stops it.
func New(key string) *Server {
	s := &Server{Key: key, Entity: "default-entity", Runs: map[string]*Run{}, Artifacts: map[string]*Artifact{}, Stored: map[string]bool{}}
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
				"uploadUrl": fmt.Sprintf("%s/storage/runs/%s/%s/%s/%s?signature=abc", s.URL, run.Entity, run.Project, run.ID, n)})
		}
		gqlReply(w, map[string]any{"createRunFiles": map[string]any{"runID": "UnVuOnYx", "uploadHeaders": []string{UploadHeader + ":yes"}, "files": files}}, "")
	case strings.Contains(req.Query, "createArtifact("):
		run := s.run(str("entityName"), str("projectName"), str("runName"))
		if run == nil || str("clientID") == "" || str("sequenceClientID") == "" || !strings.Contains(req.Query, "digestAlgorithm: MANIFEST_MD5") {
			gqlReply(w, nil, "createArtifact: no such run, or no client IDs or digest algorithm")
			return
		}
		a := &Artifact{ID: fmt.Sprintf("art-%d", len(s.Artifacts)+1), Entity: run.Entity, Project: run.Project, Run: run.ID, Type: str("artifactTypeName"),
			Name: str("artifactCollectionName"), Digest: str("digest"), State: "PENDING", Files: map[string][]byte{}, md5s: map[string]string{}}
		var aliases []struct{ Alias string }
		json.Unmarshal(req.Variables["aliases"], &aliases)
		for _, al := range aliases {
			a.Aliases = append(a.Aliases, al.Alias)
		}
		s.Artifacts[a.ID] = a
		gqlReply(w, map[string]any{"createArtifact": map[string]any{"artifact": map[string]any{"id": a.ID, "state": a.State,
			"artifactSequence": map[string]any{"latestArtifact": nil}}}}, "")
	case strings.Contains(req.Query, "createArtifactManifest("):
		a := s.Artifacts[str("artifactID")]
		if a == nil || str("name") != "wandb_manifest.json" {
			gqlReply(w, nil, "createArtifactManifest: no such artifact, or not wandb_manifest.json")
			return
		}
		file := map[string]any{"id": "file-" + a.ID}
		var include bool
		json.Unmarshal(req.Variables["includeUpload"], &include)
		if include {
			a.manifestMD5 = str("digest")
			file["uploadUrl"] = fmt.Sprintf("%s/storage/manifests/%s?signature=abc", s.URL, a.ID)
			file["uploadHeaders"] = []string{UploadHeader + ":yes", "Content-MD5:" + a.manifestMD5}
		}
		gqlReply(w, map[string]any{"createArtifactManifest": map[string]any{"artifactManifest": map[string]any{"id": "man-" + a.ID, "file": file}}}, "")
	case strings.Contains(req.Query, "createArtifactFiles("):
		var in struct {
			Input struct {
				StorageLayout string `json:"storageLayout"`
				ArtifactFiles []struct {
					ArtifactID, Name, MD5, ArtifactManifestID string
				} `json:"artifactFiles"`
			} `json:"input"`
		}
		vars, _ := json.Marshal(req.Variables)
		json.Unmarshal(vars, &in)
		var edges []map[string]any
		for _, f := range in.Input.ArtifactFiles {
			a := s.Artifacts[f.ArtifactID]
			if a == nil || f.ArtifactManifestID != "man-"+a.ID || f.MD5 == "" || in.Input.StorageLayout != "V2" {
				gqlReply(w, nil, "createArtifactFiles: bad file spec "+f.Name)
				return
			}
			a.md5s[f.Name] = f.MD5
			node := map[string]any{"storagePath": "wandb_artifacts/" + f.MD5, "artifact": map[string]any{"id": a.ID}, "uploadUrl": nil, "uploadHeaders": []string{}}
			if !s.Stored[f.MD5] {
				node["uploadUrl"] = fmt.Sprintf("%s/storage/artifacts/%s/%s?signature=abc", s.URL, a.ID, f.Name)
				node["uploadHeaders"] = []string{UploadHeader + ":yes", "Content-MD5:" + f.MD5}
			}
			edges = append(edges, map[string]any{"node": node})
		}
		gqlReply(w, map[string]any{"createArtifactFiles": map[string]any{"files": map[string]any{"edges": edges}}}, "")
	case strings.Contains(req.Query, "commitArtifact("):
		a := s.Artifacts[str("artifactID")]
		if a == nil {
			gqlReply(w, nil, "commitArtifact: no such artifact")
			return
		}
		if msg := s.checkCommit(a); msg != "" {
			gqlReply(w, nil, "commitArtifact: "+msg)
			return
		}
		a.State = "COMMITTED"
		for _, sum := range a.md5s {
			s.Stored[sum] = true
		}
		gqlReply(w, map[string]any{"commitArtifact": map[string]any{"artifact": map[string]any{"id": a.ID, "digest": a.Digest}}}, "")
	default:
		gqlReply(w, nil, "unknown operation")
	}
}

// checkCommit says what is wrong with committing a: a manifest that was
// not uploaded or does not match the artifact's digest (the client's
// MANIFEST_MD5: the hex MD5 of a header line and "name:digest" lines in name
// order), or a file it lists that the server does not have.
func (s *Server) checkCommit(a *Artifact) string {
	var m struct {
		Version  int `json:"version"`
		Contents map[string]struct {
			Digest          string  `json:"digest"`
			BirthArtifactID *string `json:"birthArtifactID"`
		} `json:"contents"`
	}
	if err := json.Unmarshal(a.Manifest, &m); err != nil || m.Version != 1 {
		return fmt.Sprintf("the manifest %q is not a version 1 manifest", a.Manifest)
	}
	names := make([]string, 0, len(m.Contents))
	for n := range m.Contents {
		names = append(names, n)
	}
	sort.Strings(names)
	h := md5.New()
	io.WriteString(h, "wandb-artifact-manifest-v1\n")
	for _, n := range names {
		fmt.Fprintf(h, "%s:%s\n", n, m.Contents[n].Digest)
		if _, up := a.Files[n]; (!up && !s.Stored[m.Contents[n].Digest]) || m.Contents[n].BirthArtifactID == nil {
			return "the server has no " + n + ", or its birth artifact is not named"
		}
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != a.Digest {
		return fmt.Sprintf("the manifest's digest %s is not the artifact's %s", got, a.Digest)
	}
	return ""
}

// upload takes a PUT to a signed URL: no API key, the asked-for headers,
// a body matching its Content-MD5 when one is asked for.
func (s *Server) upload(w http.ResponseWriter, r *http.Request, key string) {
	if _, _, ok := r.BasicAuth(); ok || r.URL.Query().Get("signature") != "abc" || r.Header.Get(UploadHeader) != "yes" {
		http.Error(w, "a signed upload carries its signature and headers, not the API key", http.StatusForbidden)
		return
	}
	b, _ := io.ReadAll(r.Body)
	if want := r.Header.Get("Content-MD5"); want != "" {
		if sum := md5.Sum(b); base64.StdEncoding.EncodeToString(sum[:]) != want {
			http.Error(w, "the body does not match its Content-MD5", http.StatusBadRequest)
			return
		}
	}
	kind, rest, _ := strings.Cut(key, "/")
	switch kind {
	case "runs":
		parts := strings.SplitN(rest, "/", 4)
		if len(parts) == 4 && s.run(parts[0], parts[1], parts[2]) != nil {
			s.run(parts[0], parts[1], parts[2]).Files[parts[3]] = b
			return
		}
	case "artifacts":
		id, name, _ := strings.Cut(rest, "/")
		if a := s.Artifacts[id]; a != nil {
			a.Files[name] = b
			return
		}
	case "manifests":
		if a := s.Artifacts[rest]; a != nil {
			a.Manifest = b
			return
		}
	}
	http.NotFound(w, r)
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
