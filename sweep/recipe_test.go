package sweep

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// AIPerf's own expected grids (its Rust port's tests of _logspace_int_steps).
func TestLogSpaceInts(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		steps  int
		want   string
	}{
		{1, 100, 5, "[1 3 10 32 100]"},
		{1, 1000, 8, "[1 3 7 19 52 139 373 1000]"},
		{256, 32768, 8, "[256 512 1024 2048 4096 8192 16384 32768]"},
		{1, 2, 4, "[1 2]"}, // duplicates after rounding collapse
	} {
		got, err := LogSpaceInts(c.lo, c.hi, c.steps)
		if err != nil || fmt.Sprint(got) != c.want {
			t.Errorf("LogSpaceInts(%g, %g, %d) = %v, %v; want %s", c.lo, c.hi, c.steps, got, err, c.want)
		}
	}
	for _, bad := range [][3]float64{{1, 100, 1}, {0, 100, 4}, {100, 100, 4}} {
		if _, err := LogSpaceInts(bad[0], bad[1], int(bad[2])); err == nil {
			t.Errorf("LogSpaceInts%v: no error", bad)
		}
	}
}

// The SLA post-process names the highest setting meeting every SLA before
// the first breaking one, and says when a later one meets them again; the degradation one the first load past the threshold.
func TestPostProcess(t *testing.T) {
	p := Plan{Params: []Param{{Name: "concurrency", Whole: true}},
		SLA:     []SLAFilter{{"time_to_first_token", "p95", "", 100}},
		Degrade: &Degradation{"request_latency", "p99", 0.2}}
	s := &summary{params: p.Params}
	for i, x := range []struct{ ttft, e2e float64 }{{50, 100}, {90, 110}, {150, 130}, {80, 200}} {
		s.PerCombination = append(s.PerCombination, combination{Parameters: map[string]any{"concurrency": 1 << i}})
		s.stats = append(s.stats, map[string]Stat{"time_to_first_token_p95": {Mean: x.ttft}, "request_latency_p99": {Mean: x.e2e, Unit: "ms"}})
	}
	var out bytes.Buffer
	s.postProcess(p, &out)
	for _, want := range []string{"highest setting meeting every SLA: 2; the next, 4, breaks one", "not monotonic",
		"request_latency_p99 above 1's 100.00 ms by more than 20% first at 4 (130.00)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
