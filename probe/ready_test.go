package probe

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/endpoint"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// loadingMock is the mock, loading for an hour until reconfigured, behind a
// counter of the readiness checks it saw.
func loadingMock(t *testing.T, cfg mockserver.Config) (srv *httptest.Server, checks *atomic.Int64) {
	t.Helper()
	cfg.LoadingFor = time.Hour
	m := mockserver.New(cfg, nil)
	checks = new(atomic.Int64)
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/configure" {
			checks.Add(1)
		}
		m.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, checks
}

// readyConfig is a one-request chat run at srv that waits for the model.
func readyConfig(srv *httptest.Server, mode string, timeout time.Duration) Config {
	body, ct, _ := readyRequest("chat", "m", false)
	return Config{
		Targets: []Target{{Name: "mock", URL: srv.URL + "/v1/chat/completions"}}, Streaming: true,
		Timeout: 20 * time.Second, Concurrency: 1, RequestCount: 2, Seed: 1,
		Schedule: Schedule{Ready: Readiness{Timeout: timeout, Interval: 20 * time.Millisecond, Mode: mode,
			Models: []string{"m"}, EndpointPath: "/v1/chat/completions", Body: body, ContentType: ct}},
	}
}

func runRecords(ctx context.Context, cfg Config) ([]*record.Record, error) {
	return collect(ctx, cfg, chatDataset(2))
}

// A model that never becomes ready within the timeout: Run sends nothing and
// returns one line naming the URL checked and the timeout, for every mode.
func TestWaitForModelTimesOut(t *testing.T) {
	for mode, path := range map[string]string{
		"models": "/v1/models", "both": "/v1/models", "inference": "/v1/chat/completions", "health": "/health",
	} {
		t.Run(mode, func(t *testing.T) {
			srv, _ := loadingMock(t, mockserver.Config{OutputTokens: 2})
			recs, err := runRecords(context.Background(), readyConfig(srv, mode, 200*time.Millisecond))
			if len(recs) != 0 {
				t.Errorf("%d requests sent to a model that was not ready", len(recs))
			}
			want := "model not ready at " + srv.URL + path + " after --wait-for-model-timeout 200ms: HTTP 503"
			if err == nil || err.Error() != want {
				t.Errorf("error %v\nwant  %s", err, want)
			}
		})
	}
}

// The model becomes ready while the run waits: no request is sent before it
// is (each record starts after the server was reconfigured), and all succeed.
func TestWaitForModelThenRun(t *testing.T) {
	for _, mode := range []string{"models", "inference", "both", "health"} {
		t.Run(mode, func(t *testing.T) {
			srv, checks := loadingMock(t, mockserver.Config{OutputTokens: 2, Models: []string{"m"}})
			var readyAt atomic.Int64
			go func() {
				for checks.Load() < 3 { // three failed checks: the run is waiting
					time.Sleep(5 * time.Millisecond)
				}
				readyAt.Store(time.Now().UnixNano())
				resp, err := http.Post(srv.URL+"/configure", "application/json", strings.NewReader(`{"loading_ms":0}`))
				if err == nil {
					resp.Body.Close()
				}
			}()
			recs, err := runRecords(context.Background(), readyConfig(srv, mode, time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 2 {
				t.Fatalf("%d records, want 2", len(recs))
			}
			for _, r := range recs {
				if !r.Valid() || r.StartNs < readyAt.Load() {
					t.Errorf("request started %v before the model was ready (error %+v)",
						time.Duration(readyAt.Load()-r.StartNs), r.Error)
				}
			}
		})
	}
}

// The model list must name the model: a server serving another one is not
// ready. A long model name is cut in the error.
func TestWaitForModelNeedsTheModelListed(t *testing.T) {
	srv := httptest.NewServer(mockserver.New(mockserver.Config{Models: []string{"other"}}, nil))
	defer srv.Close()
	for _, tc := range []struct{ model, suffix string }{
		{"m", `: model "m" is not listed`},
		{strings.Repeat("m", 200), `…" (200 bytes) is not listed`},
	} {
		cfg := readyConfig(srv, "models", 100*time.Millisecond)
		cfg.Schedule.Ready.Models = []string{tc.model}
		_, err := runRecords(context.Background(), cfg)
		if err == nil || !strings.HasSuffix(err.Error(), tc.suffix) {
			t.Errorf("model %.20s: error %.300v", tc.model, err)
		}
	}
}

// Without a timeout nothing is checked (AIPerf's default 0 skips the wait).
func TestNoWaitByDefault(t *testing.T) {
	var checks atomic.Int64
	m := mockserver.New(mockserver.Config{OutputTokens: 2}, nil)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" {
			checks.Add(1)
		}
		m.ServeHTTP(w, r)
	}))
	defer srv.Close()
	cfg := readyConfig(srv, "models", 0)
	recs, err := runRecords(context.Background(), cfg)
	if err != nil || len(recs) != 2 || checks.Load() != 0 {
		t.Errorf("err %v, %d records, %d readiness checks", err, len(recs), checks.Load())
	}
}

// The transcription endpoint's inference check is a valid request: the mock
// transcribes its tenth of a second of silence.
func TestReadyRequestForTranscription(t *testing.T) {
	srv := httptest.NewServer(mockserver.New(mockserver.Config{}, nil))
	defer srv.Close()
	body, ct, _ := readyRequest("audio_transcription", "m", false)
	u := srv.URL + "/v1/audio/transcriptions"
	r := Readiness{Mode: "inference", EndpointPath: "/v1/audio/transcriptions", Body: body, ContentType: ct}
	if _, err := checkReady(context.Background(), http.DefaultClient, nil, Target{URL: u}, r); err != nil {
		t.Fatal(err)
	}
}

// The options reach the engine, and the inference check honours
// --use-legacy-max-tokens.
func TestReadinessFromOptions(t *testing.T) {
	o := &options.Options{Models: []string{"m"}, URLs: []string{"127.0.0.1:1"}, EndpointType: "chat", ArrivalPattern: "poisson",
		WaitForModelTimeout: 30, WaitForModelInterval: 0.5, WaitForModelMode: "both", LegacyMaxTokens: true}
	c, err := ConfigFrom(o, "s")
	if err != nil {
		t.Fatal(err)
	}
	r := c.Ready
	if r.Timeout != 30*time.Second || r.Interval != 500*time.Millisecond || r.Mode != "both" ||
		r.EndpointPath != "/v1/chat/completions" || !strings.Contains(string(r.Body), `"max_tokens":1`) {
		t.Errorf("readiness %+v body %s", r, r.Body)
	}
}

// Each endpoint type's inference check is a request its endpoint accepts:
// the mock answers it (a chat body at /v1/completions would be a 400).
func TestReadyRequestPerEndpoint(t *testing.T) {
	srv := httptest.NewServer(mockserver.New(mockserver.Config{}, nil))
	defer srv.Close()
	for _, c := range []struct{ endpointType, path string }{
		{"completions", "/v1/completions"},
		{"embeddings", "/v1/embeddings"},
		{"nim_rankings", "/v1/ranking"},
		{"hf_tei_rankings", "/rerank"},
		{"cohere_rankings", "/v2/rerank"},
		{"huggingface_generate", "/generate"},
		{"huggingface_generate", "/generate_stream"},
		{"responses", "/v1/responses"},
	} {
		body, ct, _ := readyRequest(c.endpointType, "m", false)
		r := Readiness{Mode: "inference", EndpointPath: c.path, Body: body, ContentType: ct}
		if _, err := checkReady(context.Background(), http.DefaultClient, nil, Target{URL: srv.URL + c.path}, r); err != nil {
			t.Errorf("%s: %v", c.endpointType, err)
		}
	}
}

// Every endpoint type of the table has an inference check the mock accepts at
// its default path (and its streaming path), or, for video_generation, refuses
// as meant: a type added to the table with a body kind readyRequest does not
// know is sent chat's body and refused.
func TestReadyRequestEveryEndpointType(t *testing.T) {
	srv := httptest.NewServer(mockserver.New(mockserver.Config{}, nil))
	defer srv.Close()
	for _, ty := range endpoint.All() {
		body, ct, refusedIsReady := readyRequest(ty.Name, "m", false)
		header := http.Header{} // the type's own headers, as ConfigFrom adds them
		for name, value := range ty.Headers {
			header.Set(name, value)
		}
		for _, path := range []string{ty.Path, ty.StreamPath} {
			if path == "" {
				continue
			}
			r := Readiness{Mode: "inference", EndpointPath: path, Body: body, ContentType: ct, RefusedIsReady: refusedIsReady}
			if _, err := checkReady(context.Background(), http.DefaultClient, header, Target{URL: srv.URL + path}, r); err != nil {
				t.Errorf("%s at %s: %v", ty.Name, path, err)
			}
		}
	}
}

// video_generation's inference check starts no video job: its create request
// has no prompt, the mock refuses it (4xx) and that passes; a server still
// loading (503) does not pass. The options set the check so.
func TestVideoReadinessStartsNoJob(t *testing.T) {
	m := mockserver.New(mockserver.Config{}, nil)
	var statuses []int
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		m.ServeHTTP(rw, r)
		mu.Lock()
		statuses = append(statuses, rw.code)
		mu.Unlock()
	}))
	defer srv.Close()
	o := &options.Options{Models: []string{"m"}, URLs: []string{srv.URL}, EndpointType: "video_generation", ArrivalPattern: "poisson",
		WaitForModelTimeout: 30, WaitForModelInterval: 0.5, WaitForModelMode: "inference"}
	c, err := ConfigFrom(o, "s")
	if err != nil {
		t.Fatal(err)
	}
	target := Target{URL: srv.URL + "/v1/videos"}
	if _, err := checkReady(context.Background(), http.DefaultClient, nil, target, c.Ready); err != nil {
		t.Fatalf("a live mock does not pass the video check: %v", err)
	}
	mu.Lock()
	got := statuses
	mu.Unlock()
	if len(got) != 1 || got[0] < 400 || got[0] >= 500 {
		t.Fatalf("the mock answered the check %v; want one refusal (4xx): no job created", got)
	}
	loading, _ := loadingMock(t, mockserver.Config{})
	if _, err := checkReady(context.Background(), http.DefaultClient, nil, Target{URL: loading.URL + "/v1/videos"}, c.Ready); err == nil ||
		!strings.Contains(err.Error(), "HTTP 503") {
		t.Fatalf("a loading mock passed the video check (error %v); want HTTP 503", err)
	}
}

// statusRecorder keeps the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.code = code
	r.ResponseWriter.WriteHeader(code)
}

// video_generation's check passes on a 2xx or a refusal of the request as
// invalid (400, 422), never on a wrong path or key (401, 403, 404) nor a
// server not up (503); other endpoint types pass on a 2xx only.
func TestRefusedIsReadyStatuses(t *testing.T) {
	for _, c := range []struct {
		endpointType string
		code         int
		ready        bool
	}{
		{"video_generation", 200, true},
		{"video_generation", 400, true},
		{"video_generation", 422, true},
		{"video_generation", 401, false},
		{"video_generation", 403, false},
		{"video_generation", 404, false},
		{"video_generation", 503, false},
		{"chat", 200, true},
		{"chat", 400, false},
		{"chat", 422, false},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(c.code) }))
		body, ct, refusedIsReady := readyRequest(c.endpointType, "m", false)
		r := Readiness{Mode: "inference", Body: body, ContentType: ct, RefusedIsReady: refusedIsReady}
		_, err := checkReady(context.Background(), http.DefaultClient, nil, Target{URL: srv.URL + "/v1/x"}, r)
		srv.Close()
		if (err == nil) != c.ready {
			t.Errorf("%s answered %d: error %v, want ready %v", c.endpointType, c.code, err, c.ready)
		}
	}
}
