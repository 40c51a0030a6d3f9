package report

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

func phaseRecord(p *record.HTTPPhases, firstToken time.Duration, phase record.Phase) *record.Record {
	return &record.Record{RequestID: "r", Streaming: true, Phase: phase, StartNs: 1_760_000_000_000_000_000,
		OutputTokens: 2, HTTPPhases: p, EndOffset: firstToken + 10*time.Millisecond,
		Responses: []record.Response{{Offset: firstToken, Kind: record.Content}, {Offset: firstToken + 10*time.Millisecond, Kind: record.Content}}}
}

// phaseStat is one entry of http_phases as read back from the JSON.
type phaseStat struct {
	Unit  string  `json:"unit"`
	Count int     `json:"count"`
	Avg   float64 `json:"avg"`
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
	P50   float64 `json:"p50"`
}

// WriteAll's JSON carries http_phases: per phase ms statistics over the
// requests where the phase happened, first_token = TTFT - first byte, and the
// connection counts; warmup and late records are left out.
func TestHTTPPhasesInJSON(t *testing.T) {
	ms := func(n float64) time.Duration { return time.Duration(n * float64(time.Millisecond)) }
	recs := []*record.Record{
		// New TLS connection: dns 1, connect 2, tls 7, upload 2, wait 38, first token 50 after the first byte.
		phaseRecord(&record.HTTPPhases{DNS: ms(1), Connect: ms(3), TLS: ms(10), RequestWritten: ms(12), FirstByte: ms(50)}, ms(100), ""),
		// Reused: upload 4, wait 26, first token 70 after.
		phaseRecord(&record.HTTPPhases{RequestWritten: ms(4), FirstByte: ms(30), ConnReused: true}, ms(100), ""),
		// Left out.
		phaseRecord(&record.HTTPPhases{Connect: ms(500), RequestWritten: ms(600), FirstByte: ms(700)}, ms(800), record.PhaseWarmup),
		func() *record.Record {
			r := phaseRecord(&record.HTTPPhases{Connect: ms(500), RequestWritten: ms(600), FirstByte: ms(700)}, ms(800), "")
			r.LateForDuration = true
			return r
		}(),
	}
	dir := t.TempDir()
	p, err := WriteAll(dir, metrics.Aggregate(recs, metrics.AggregateOptions{}), recs, RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p.JSON)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Phases map[string]json.RawMessage `json:"http_phases"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	want := map[string]phaseStat{
		"dns":             {"ms", 1, 1, 1, 1, 1},
		"connect":         {"ms", 1, 2, 2, 2, 2},
		"tls":             {"ms", 1, 7, 7, 7, 7},
		"request_written": {"ms", 2, 3, 2, 4, 3},
		"first_byte":      {"ms", 2, 32, 26, 38, 32},
		"first_token":     {"ms", 2, 60, 50, 70, 60},
	}
	for name, w := range want {
		var got phaseStat
		if err := json.Unmarshal(out.Phases[name], &got); err != nil {
			t.Fatalf("%s: %v in %s", name, err, out.Phases[name])
		}
		if !near(got, w) {
			t.Errorf("%s: got %+v, want %+v", name, got, w)
		}
	}
	var conns struct{ New, Reused int }
	if err := json.Unmarshal(out.Phases["connections"], &conns); err != nil || conns.New != 1 || conns.Reused != 1 {
		t.Errorf("connections %s (%v), want 1 new, 1 reused", out.Phases["connections"], err)
	}
	if len(out.Phases) != len(want)+1 {
		t.Errorf("http_phases has %d entries, want %d", len(out.Phases), len(want)+1)
	}
}

func near(a, b phaseStat) bool {
	eq := func(x, y float64) bool { return x-y < 1e-9 && y-x < 1e-9 }
	return a.Unit == b.Unit && a.Count == b.Count && eq(a.Avg, b.Avg) && eq(a.Min, b.Min) &&
		eq(a.Max, b.Max) && eq(a.P50, b.P50)
}

// Records without phase timings (e.g. read back from an old JSONL) add no
// http_phases.
func TestHTTPPhasesAbsent(t *testing.T) {
	r := phaseRecord(nil, time.Second, "")
	if o := httpPhases([]*record.Record{r}); o != nil {
		t.Fatalf("got %v", o)
	}
}
