package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const agenticTraces = "../../inputs/testdata/weka/agentic"

// agenticOut is each trace request's recorded output length, which the mock
// answers exactly (the scenario sends ignore_eos): it names the turn sent.
var agenticOut = map[string][]int{"trace_x": {11, 12, 13, 14}, "trace_y": {21, 22, 23}}

// agenticRecord is what the test reads of a profile_export.jsonl line.
type agenticRecord struct {
	Metadata struct {
		RequestID    string `json:"x_request_id"`
		Session      int    `json:"session_num"`
		Conversation string `json:"conversation_id"`
		Turn         int    `json:"turn_index"`
	} `json:"metadata"`
	Error any `json:"error"`
}

// laneStarts maps each session to the first turn it sent in profiling, and
// checks every request against what the mock received.
func laneStarts(t *testing.T, args ...string) map[int]string {
	t.Helper()
	m := startMock(t)
	args = append([]string{"--url", m.URL, "--model", "m", "--scenario", "inferencex-agentx-mvp", "--unsafe-override",
		"--input-file", agenticTraces, "--concurrency", "2", "--benchmark-duration", "1", "--random-seed", "5",
		"--dataset-sampling-strategy", "sequential"}, args...)
	code, _, errOut, dir := profileInDir(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "--unsafe-override): --benchmark-duration") {
		t.Errorf("stderr does not warn of the short duration:\n%s", errOut)
	}
	starts := map[int]string{}
	first := map[int]int{}
	type sent struct {
		turn int
		ns   int64
	}
	arrivals := map[int][]sent{} // the mock's arrival of each session's turns
	for _, r := range readJSONLAs[agenticRecord](t, dir) {
		md := r.Metadata
		if r.Error != nil {
			t.Fatalf("request failed: %v", r.Error)
		}
		tr, ok := m.Server.Truth(md.RequestID)
		if !ok || !tr.Stream || tr.CompletionTokens != agenticOut[md.Conversation][md.Turn] {
			t.Fatalf("%s turn %d: the mock saw %+v (%v), want a streamed request for %d tokens", md.Conversation, md.Turn, tr, ok, agenticOut[md.Conversation][md.Turn])
		}
		arrivals[md.Session] = append(arrivals[md.Session], sent{md.Turn, tr.ArrivalNs})
		if f, seen := first[md.Session]; !seen || md.Turn < f {
			first[md.Session] = md.Turn
			starts[md.Session] = md.Conversation + ":" + string(rune('0'+md.Turn))
		}
	}
	for s, a := range arrivals {
		sort.Slice(a, func(i, j int) bool { return a[i].ns < a[j].ns })
		for i := 1; i < len(a); i++ {
			if a[i].turn != a[i-1].turn+1 {
				t.Errorf("session %d: the mock received turn %d after turn %d", s, a[i].turn, a[i-1].turn)
			}
		}
	}
	in, err := os.ReadFile(filepath.Join(dir, "inputs.json"))
	if err != nil || !strings.Contains(string(in), `"ignore_eos": true`) {
		t.Errorf("inputs.json does not carry the scenario's ignore_eos (%v)", err)
	}
	return starts
}

// The scenario's agentic replay over loopback: each lane starts at its
// trace's t* (the request at or after it; the one before went to the
// warmup), later sessions from their first turn, and a seed gives the same
// starts.
func TestScenarioAgenticReplay(t *testing.T) {
	// t* halfway: 150 ms into trace_x (next request at 200 ms, turn 2) and
	// 50 ms into trace_y (next at 100 ms, turn 2).
	starts := laneStarts(t, "--trajectory-start-min-ratio", "0.5", "--trajectory-start-max-ratio", "0.5")
	if starts[0] != "trace_x:2" || starts[1] != "trace_y:2" {
		t.Fatalf("lanes started at %v, want trace_x:2 and trace_y:2", starts)
	}
	for s, at := range starts {
		if s > 1 && !strings.HasSuffix(at, ":0") {
			t.Errorf("recycled session %d started at %s, want its first turn", s, at)
		}
	}
	a, b := laneStarts(t), laneStarts(t) // the scenario's whole-trace window
	if a[0] != b[0] || a[1] != b[1] {
		t.Errorf("one seed, two starts: %v and %v", a, b)
	}
}

// --scenario's refusals: one line naming the flag, exit 2.
func TestScenarioRefusals(t *testing.T) {
	base := []string{"--model", "m", "--mock", "--scenario", "inferencex-agentx-mvp", "--input-file", agenticTraces}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown scenario", []string{"--model", "m", "--mock", "--scenario", "nope"}, "valid scenarios: inferencex-agentx-mvp"},
		{"synthetic data", []string{"--model", "m", "--mock", "--scenario", "inferencex-agentx-mvp", "--unsafe-override"}, "replays Weka traces"},
		{"short duration", append(base, "--benchmark-duration", "5"), "--benchmark-duration"},
		{"no duration", append(base, "--benchmark-duration", "0"), "requires at least 900s to reach steady state, got 0s"},
		{"open loop", append(base, "--request-rate", "3"), "--request-rate"},
		{"request count", append(base, "--request-count", "10"), "--request-count"},
		{"no ignore_eos", append(base, "--extra-inputs", "ignore_eos:false"), "ignore_eos=true"},
		{"window upside down", []string{"--model", "m", "--mock", "--trajectory-start-min-ratio", "0.8", "--trajectory-start-max-ratio", "0.2"}, "--trajectory-start-min-ratio"},
		{"ratio above 1", []string{"--model", "m", "--mock", "--trajectory-start-max-ratio", "1.5"}, "--trajectory-start-max-ratio"},
		{"more lanes than traces", append(base, "--unsafe-override", "--benchmark-duration", "1", "--cache-bust", "none", "--concurrency", "3"), "--allow-dataset-wrap"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut, _ := profileInDir(t, tc.args...)
			var errs []string // the warnings --unsafe-override lets through aside
			for _, l := range strings.Split(strings.TrimSpace(errOut), "\n") {
				if !strings.HasPrefix(l, "warning: ") {
					errs = append(errs, l)
				}
			}
			if code != 2 || len(errs) != 1 || !strings.Contains(errs[0], tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and one line with %q", code, errOut, tc.want)
			}
		})
	}
}

// --allow-dataset-wrap lets three lanes share two traces.
func TestScenarioAllowDatasetWrap(t *testing.T) {
	_, dir := profileOK(t, "--model", "m", "--mock", "--scenario", "inferencex-agentx-mvp", "--unsafe-override",
		"--input-file", agenticTraces, "--benchmark-duration", "1", "--cache-bust", "none", "--concurrency", "3", "--allow-dataset-wrap")
	sessions := map[int]bool{}
	for _, r := range readJSONLAs[agenticRecord](t, dir) {
		sessions[r.Metadata.Session] = true
	}
	if !sessions[0] || !sessions[1] || !sessions[2] {
		t.Errorf("sessions %v, want the three lanes'", sessions)
	}
}

// A priming request that fails ends the run before profiling: exit 1,
// naming the trace.
func TestScenarioWarmupFailure(t *testing.T) {
	m := startMock(t)
	target, _ := url.Parse(m.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if strings.Contains(string(body), `"max_completion_tokens":12`) { // trace_x's priming turn
			http.Error(w, `{"error":"down"}`, http.StatusInternalServerError)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		proxy.ServeHTTP(w, r)
	}))
	defer srv.Close()
	code, _, errOut, _ := profileInDir(t, "--url", srv.URL, "--model", "m", "--scenario", "inferencex-agentx-mvp", "--unsafe-override",
		"--input-file", agenticTraces, "--concurrency", "2", "--benchmark-duration", "1", "--dataset-sampling-strategy", "sequential",
		"--trajectory-start-min-ratio", "0.5", "--trajectory-start-max-ratio", "0.5")
	if code != 1 || !strings.Contains(errOut, "trajectory warmup failed for 1 trace(s): trace_x") {
		t.Fatalf("exit %d, stderr %s; want 1 naming trace_x", code, errOut)
	}
}
