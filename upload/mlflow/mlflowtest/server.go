// Package mlflowtest is a loopback MLflow tracking server for tests: the
// REST API 2.0 calls a run upload makes (paths, JSON shapes, limits and
// error replies as MLflow's REST reference gives them), recording what it
// got.
package mlflowtest

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
	ID, ExperimentID, Name, Status string
	StartTime, EndTime             int64
	Tags, Params                   map[string]string
	Metrics                        map[string]float64
	Batches                        int
}

// Server is the fake tracking server.
type Server struct {
	*httptest.Server
	mu          sync.Mutex
	Experiments map[string]string // name -> id
	Deleted     map[string]bool   // experiment names in the deleted stage
	Runs        map[string]*Run
	Artifacts   map[string][]byte // path under /api/2.0/mlflow-artifacts/artifacts/
	Auth        []string          // the Authorization headers received
	// FailLogBatch makes every runs/log-batch fail with a 500.
	FailLogBatch bool
}

// New starts a server on 127.0.0.1; Close stops it.
func New() *Server {
	s := &Server{Experiments: map[string]string{"Default": "0"}, Deleted: map[string]bool{}, Runs: map[string]*Run{}, Artifacts: map[string][]byte{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Lock and Unlock guard the recorded fields.
func (s *Server) Lock()   { s.mu.Lock() }
func (s *Server) Unlock() { s.mu.Unlock() }

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, code, msg string) {
	reply(w, status, map[string]string{"error_code": code, "message": msg})
}

type kv struct{ Key, Value string }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Auth = append(s.Auth, r.Header.Get("Authorization"))
	if p, ok := strings.CutPrefix(r.URL.Path, "/api/2.0/mlflow-artifacts/artifacts/"); ok && r.Method == http.MethodPut {
		b, _ := io.ReadAll(r.Body)
		s.Artifacts[p] = b
		reply(w, 200, map[string]any{})
		return
	}
	route := r.Method + " " + strings.TrimPrefix(r.URL.Path, "/api/2.0/mlflow/")
	var body map[string]json.RawMessage
	if r.Method == http.MethodPost {
		if r.Header.Get("Content-Type") != "application/json" {
			fail(w, 400, "INVALID_PARAMETER_VALUE", "Content-Type must be application/json")
			return
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			fail(w, 400, "MALFORMED_REQUEST", err.Error())
			return
		}
	}
	str := func(k string) string {
		var v string
		json.Unmarshal(body[k], &v)
		return v
	}
	switch route {
	case "GET experiments/get-by-name":
		name := r.URL.Query().Get("experiment_name")
		id, ok := s.Experiments[name]
		if !ok {
			fail(w, 404, "RESOURCE_DOES_NOT_EXIST", fmt.Sprintf("Could not find experiment with name '%s'", name))
			return
		}
		stage := "active"
		if s.Deleted[name] {
			stage = "deleted"
		}
		reply(w, 200, map[string]any{"experiment": map[string]any{"experiment_id": id, "name": name, "lifecycle_stage": stage}})
	case "POST experiments/create":
		name := str("name")
		if name == "" {
			fail(w, 400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'name'")
			return
		}
		if _, ok := s.Experiments[name]; ok {
			fail(w, 400, "RESOURCE_ALREADY_EXISTS", fmt.Sprintf("Experiment '%s' already exists.", name))
			return
		}
		id := fmt.Sprint(len(s.Experiments))
		s.Experiments[name] = id
		reply(w, 200, map[string]string{"experiment_id": id})
	case "GET runs/get":
		run, ok := s.Runs[r.URL.Query().Get("run_id")]
		if !ok {
			fail(w, 404, "RESOURCE_DOES_NOT_EXIST", fmt.Sprintf("Run '%s' not found.", r.URL.Query().Get("run_id")))
			return
		}
		reply(w, 200, map[string]any{"run": map[string]any{"info": s.info(run)}})
	case "POST runs/create":
		exp := str("experiment_id")
		known := false
		for _, id := range s.Experiments {
			known = known || id == exp
		}
		if !known {
			fail(w, 404, "RESOURCE_DOES_NOT_EXIST", fmt.Sprintf("No Experiment with id=%s exists", exp))
			return
		}
		var tags []kv
		json.Unmarshal(body["tags"], &tags)
		var start int64
		json.Unmarshal(body["start_time"], &start)
		run := &Run{ID: fmt.Sprintf("run%d", len(s.Runs)+1), ExperimentID: exp, Name: str("run_name"), Status: "RUNNING", StartTime: start,
			Tags: map[string]string{}, Params: map[string]string{}, Metrics: map[string]float64{}}
		for _, t := range tags {
			run.Tags[t.Key] = t.Value
		}
		s.Runs[run.ID] = run
		reply(w, 200, map[string]any{"run": map[string]any{"info": s.info(run), "data": map[string]any{}}})
	case "POST runs/log-batch":
		run, ok := s.Runs[str("run_id")]
		if !ok {
			fail(w, 404, "RESOURCE_DOES_NOT_EXIST", "Run not found.")
			return
		}
		if s.FailLogBatch {
			fail(w, 500, "INTERNAL_ERROR", "the store is down")
			return
		}
		var ms []struct {
			Key             string
			Value           float64
			Timestamp, Step int64
		}
		var ps, ts []kv
		json.Unmarshal(body["metrics"], &ms)
		json.Unmarshal(body["params"], &ps)
		json.Unmarshal(body["tags"], &ts)
		if len(ms) > 1000 || len(ps) > 100 || len(ts) > 100 || len(ms)+len(ps)+len(ts) > 1000 {
			fail(w, 400, "INVALID_PARAMETER_VALUE", "A batch logging request can contain at most 1000 metrics, 100 params and 100 tags, 1000 in all")
			return
		}
		for _, p := range ps {
			if old, ok := run.Params[p.Key]; ok && old != p.Value {
				fail(w, 400, "INVALID_PARAMETER_VALUE", fmt.Sprintf("Changing param values is not allowed. Param with key='%s' was already logged", p.Key))
				return
			}
			run.Params[p.Key] = p.Value
		}
		for _, m := range ms {
			if m.Key == "" || m.Timestamp == 0 {
				fail(w, 400, "INVALID_PARAMETER_VALUE", "a metric needs a key and a timestamp")
				return
			}
			run.Metrics[m.Key] = m.Value
		}
		for _, t := range ts {
			run.Tags[t.Key] = t.Value
		}
		run.Batches++
		reply(w, 200, map[string]any{})
	case "POST runs/update":
		run, ok := s.Runs[str("run_id")]
		if !ok {
			fail(w, 404, "RESOURCE_DOES_NOT_EXIST", "Run not found.")
			return
		}
		run.Status = str("status")
		json.Unmarshal(body["end_time"], &run.EndTime)
		reply(w, 200, map[string]any{"run_info": s.info(run)})
	default:
		fail(w, 404, "ENDPOINT_NOT_FOUND", "No API endpoint for "+route)
	}
}

func (s *Server) info(r *Run) map[string]any {
	return map[string]any{"run_id": r.ID, "run_uuid": r.ID, "experiment_id": r.ExperimentID, "run_name": r.Name, "status": r.Status,
		"start_time": r.StartTime, "artifact_uri": fmt.Sprintf("mlflow-artifacts:/%s/%s/artifacts", r.ExperimentID, r.ID), "lifecycle_stage": "active"}
}
