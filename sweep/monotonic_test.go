package sweep

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// drive runs a search against a server that meets the SLAs up to capacity.
func drive(m *Monotonic, capacity int) []int {
	var probed []int
	for {
		v, ok := m.Next()
		if !ok {
			return probed
		}
		probed = append(probed, v)
		m.Tell(v, v <= capacity, nil)
	}
}

func TestMonotonic(t *testing.T) {
	for _, c := range []struct {
		name        string
		hi, probes  int
		capacity    int
		fmax, imin  int
		reason      string
		firstProbes string
	}{
		// doubling, two agreeing probes a value, then bisection within 5 %
		{"bracket found", 1000, 100, 37, 37, 38, "monotonic_precision_reached", "[1 1 2 2 4 4 8 8 16 16 32 32 64 64 48 48 40 40 36 36"},
		{"out of probes", 1000, 20, 37, 36, 40, "max_iterations", "[1 1 2 2"},
		{"nothing passes", 1000, 20, 0, 0, 1, "monotonic_no_pass_in_range", "[1 1]"},
		{"nothing fails", 100, 20, 5000, 100, 0, "monotonic_no_failure_in_range", "[1 1 2 2 4 4 8 8 16 16 32 32 64 64 100 100]"},
	} {
		m := NewMonotonic(1, c.hi)
		m.MaxProbes = c.probes
		probed := drive(m, c.capacity)
		if m.FeasibleMax != c.fmax || m.InfeasibleMin != c.imin || m.Reason != c.reason || !strings.HasPrefix(fmtInts(probed), c.firstProbes) {
			t.Errorf("%s: feasible %d, infeasible %d, %s after %v; want %d, %d, %s after %s...", c.name,
				m.FeasibleMax, m.InfeasibleMin, m.Reason, probed, c.fmax, c.imin, c.reason, c.firstProbes)
		}
	}
	// Probes that disagree on a value: it is probed until two agree.
	m := NewMonotonic(1, 4)
	for _, met := range []bool{true, false, true} {
		v, _ := m.Next()
		m.Tell(v, met, nil)
	}
	if v, _ := m.Next(); v != 2 || m.FeasibleMax != 1 {
		t.Errorf("after pass, fail, pass at 1: next %d, feasible %d; want 2, 1", v, m.FeasibleMax)
	}
}

func fmtInts(xs []int) string {
	b, _ := json.Marshal(xs)
	return strings.ReplaceAll(string(b), ",", " ")
}

// exportRun is a run that writes the JSON export export(concurrency) gives.
func exportRun(export func(c float64) map[string]any) RunFunc {
	return func(ctx context.Context, r Run) error {
		if err := os.MkdirAll(r.Dir, 0o755); err != nil {
			return err
		}
		b, _ := json.Marshal(export(r.Combo[0]))
		return os.WriteFile(filepath.Join(r.Dir, report.JSONFile), b, 0o644)
	}
}

// The search runs each probe into AIPerf's adaptive layout and writes the
// boundary it found.
func TestSearchRuns(t *testing.T) {
	base := t.TempDir()
	run := exportRun(func(c float64) map[string]any {
		return map[string]any{"time_to_first_token": map[string]any{"unit": "ms", "p95": 10 * c}} // 10 ms per request in flight
	})
	p := Plan{Base: base, Params: []Param{{Name: "concurrency", Whole: true}}, Trials: 1,
		SLA: []SLAFilter{{"time_to_first_token", "p95", "", 75}}, Search: NewMonotonic(1, 100)}
	var out bytes.Buffer
	if err := Execute(context.Background(), p, run, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "highest concurrency meeting every SLA: 7") {
		t.Errorf("output:\n%s", out.String())
	}
	sum := testkit.ReadJSON[searchSummary](t, filepath.Join(base, SearchJSONFile))
	if sum.FeasibleMax != 7 || sum.InfeasibleMin != 8 || sum.Probes[0].Dir != filepath.Join(base, "search_iter_0000", "profile_runs", "run_0001") {
		t.Errorf("summary %+v", sum)
	}
	if _, err := os.Stat(filepath.Join(base, "search_iter_0001", "profile_runs", "run_0001", report.JSONFile)); err != nil {
		t.Error(err)
	}
}
