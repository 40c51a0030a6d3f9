package probe

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// bodyServer keeps every request body it receives and answers with a short
// stream.
type bodyServer struct {
	mu     sync.Mutex
	bodies []string
}

// all is every body received so far.
func (b *bodyServer) all() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.bodies...)
}

func (b *bodyServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	b.mu.Lock()
	b.bodies = append(b.bodies, string(body))
	b.mu.Unlock()
	w.Header().Set("Content-Type", "text/event-stream")
	fmt.Fprint(w, "data: {\"choices\":[{\"delta\":{\"content\":\" a\"}}]}\n\ndata: [DONE]\n\n")
}

// agenticDataset has traces whose turns start at the given milliseconds;
// each body names its trace and turn.
func agenticDataset(traces map[string][]float64, order ...string) *inputs.Dataset {
	ds := &inputs.Dataset{}
	for _, id := range order {
		ms := traces[id]
		c := inputs.Conversation{ID: id}
		for i, m := range ms {
			t := inputs.Turn{Body: inputs.Body{[]byte(fmt.Sprintf(`{"turn":"%s-%d","max_completion_tokens":9}`, id, i))},
				ContentType: inputs.ContentTypeJSON, Model: "m", MaxTokens: 9}
			if i > 0 {
				t.Delay = time.Duration((m - ms[i-1]) * float64(time.Millisecond))
			}
			c.Turns = append(c.Turns, t)
		}
		ds.Conversations = append(ds.Conversations, c)
	}
	return ds
}

func runAgenticEngine(t *testing.T, cfg Config, ds *inputs.Dataset) ([]*record.Record, *bodyServer) {
	t.Helper()
	b := &bodyServer{}
	srv := httptest.NewServer(b)
	t.Cleanup(srv.Close)
	cfg.Targets = []Target{{Name: "t", URL: srv.URL + "/v1/chat/completions"}}
	cfg.Streaming, cfg.Sampling, cfg.Timeout = true, SamplingSequential, 10*time.Second
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	recs, err := collect(ctx, cfg, ds)
	if err != nil {
		t.Fatal(err)
	}
	if ctx.Err() != nil {
		t.Fatal("the replay did not end")
	}
	return recs, b
}

// firstTurns maps each session's first record of a phase to its
// conversation and turn, with the record's intended start.
func firstTurns(recs []*record.Record, phase record.Phase) map[int]*record.Record {
	out := map[int]*record.Record{}
	for _, r := range recs {
		if f, ok := out[r.SessionNum]; r.Phase == phase && (!ok || r.IntendedStartNs < f.IntendedStartNs) {
			out[r.SessionNum] = r
		}
	}
	return out
}

// TestAgenticReplayStartsMidTrace: the warmup primes each lane with the
// trace's request before t*, spread so both lanes reach t* together;
// profiling resumes each lane at t* on the same session, its first request
// its recorded gap after t*, and a finished lane starts the next trace from
// its first turn.
func TestAgenticReplayStartsMidTrace(t *testing.T) {
	traces := map[string][]float64{"A": {0, 100, 200, 300}, "B": {0, 40}}
	for _, burst := range []bool{false, true} {
		t.Run(fmt.Sprintf("burst=%v", burst), func(t *testing.T) {
			cfg := Config{Concurrency: 2, RequestCount: 6, Seed: 3,
				Agentic: Agentic{On: true, MinRatio: 0.5, MaxRatio: 0.5, BurstStarts: burst}}
			recs, srv := runAgenticEngine(t, cfg, agenticDataset(traces, "A", "B"))
			warm, prof := firstTurns(recs, record.PhaseWarmup), firstTurns(recs, record.PhaseProfiling)
			// t* is 150 ms into A (next turn 2, primed by turn 1, 50 ms on each
			// side) and 20 ms into B (next turn 1, primed by turn 0).
			a0, b0 := warm[0], warm[1]
			if len(warm) != 2 || a0.ConversationID != "A" || a0.TurnIndex != 1 || b0.ConversationID != "B" || b0.TurnIndex != 0 {
				t.Fatalf("warmup sent %v, want A's turn 1 and B's turn 0", warm)
			}
			a1, b1 := prof[0], prof[1]
			if a1 == nil || b1 == nil || a1.TurnIndex != 2 || b1.TurnIndex != 1 {
				t.Fatalf("profiling resumed lanes at %v, want A at 2 and B at 1 on the warmed sessions", prof)
			}
			wantWarm, wantProf := 30*time.Millisecond, -30*time.Millisecond // A leads by 50 ms, B by 20; A waits 50, B 20
			if burst {
				wantWarm, wantProf = 0, 0
			}
			if d := time.Duration(b0.IntendedStartNs - a0.IntendedStartNs); d != wantWarm {
				t.Errorf("B primed %v after A, want %v", d, wantWarm)
			}
			if d := time.Duration(b1.IntendedStartNs - a1.IntendedStartNs); d != wantProf {
				t.Errorf("B resumed %v after A, want %v", d, wantProf)
			}
			n := 0
			for s, r := range prof {
				if s > 1 && r.TurnIndex != 0 {
					t.Errorf("recycled session %d started at turn %d of %s, want its first", s, r.TurnIndex, r.ConversationID)
				}
				n++
			}
			if n < 3 {
				t.Errorf("%d sessions in 6 profiling requests: no lane recycled", n)
			}
			if !strings.Contains(strings.Join(srv.all(), "\n"), `"turn":"A-1"`) {
				t.Error("the server never received A's priming turn")
			}
		})
	}
}

// TestAgenticSystemIdleCap: a trace's hour-long gap is cut to the cap while
// nothing is in flight, so the replay goes on.
func TestAgenticSystemIdleCap(t *testing.T) {
	cfg := Config{Concurrency: 1, RequestCount: 2,
		Agentic: Agentic{On: true, IdleCap: 10 * time.Millisecond, IdleCapSet: true}}
	recs, _ := runAgenticEngine(t, cfg, agenticDataset(map[string][]float64{"C": {0, 3_600_000}}, "C"))
	if len(recs) != 2 || recs[1].TurnIndex != 1 {
		t.Fatalf("records %v, want both turns of C", recs)
	}
}

// TestAgenticCacheWarmup: the accelerated warmup asks one token per request,
// and profiling resumes each lane right after its last warmup turn.
func TestAgenticCacheWarmup(t *testing.T) {
	traces := map[string][]float64{"A": {0, 1, 2, 3, 4, 5, 6, 7}, "B": {0, 1, 2}}
	cfg := Config{Concurrency: 2, RequestCount: 4,
		Agentic: Agentic{On: true, MinRatio: 0, MaxRatio: 0, CacheWarmup: 100 * time.Millisecond}}
	recs, srv := runAgenticEngine(t, cfg, agenticDataset(traces, "A", "B"))
	last := map[int]*record.Record{}
	for _, r := range recs {
		if r.Phase == record.PhaseWarmup {
			last[r.SessionNum] = r
		}
	}
	for s, p := range firstTurns(recs, record.PhaseProfiling) {
		w, ok := last[s]
		if ok && p.TurnIndex != w.TurnIndex+1 {
			t.Errorf("session %d: warmup ended at turn %d, profiling resumed at %d", s, w.TurnIndex, p.TurnIndex)
		}
		if !ok && p.TurnIndex != 0 {
			t.Errorf("session %d first sent in profiling at turn %d", s, p.TurnIndex)
		}
	}
	ones, nines := 0, 0
	for _, b := range srv.all() {
		ones += strings.Count(b, `"max_completion_tokens":1}`)
		nines += strings.Count(b, `"max_completion_tokens":9}`)
	}
	warm := len(recs) - 4
	if ones != warm || nines != 4 {
		t.Errorf("%d one-token and %d full requests, want the %d warmup ones and 4", ones, nines, warm)
	}
}

// TestAgenticWarmupFailureStopsTheRun: a priming request that fails stops
// the run before profiling, naming the trace.
func TestAgenticWarmupFailureStopsTheRun(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	cfg := Config{Concurrency: 1, RequestCount: 2, Timeout: 10 * time.Second, Streaming: true,
		Targets: []Target{{Name: "t", URL: srv.URL + "/v1/chat/completions"}},
		Agentic: Agentic{On: true, MinRatio: 1, MaxRatio: 1}}
	_, err := collect(context.Background(), cfg, agenticDataset(map[string][]float64{"D": {0, 10}}, "D"))
	if err == nil || !strings.Contains(err.Error(), "trajectory warmup failed for 1 trace(s): D") {
		t.Fatalf("error %v, want the warmup failure naming D", err)
	}
}
