package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// outputs.json in AIPerf's layout: profiling entries under data and warmup
// ones under warmup, each sorted by (session_num, turn_index); a late record
// left out; no text is null; the scratch file gone.
func TestOutputsWriter(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, OutputsFile)
	w, err := CreateOutputs(path)
	if err != nil {
		t.Fatal(err)
	}
	rec := func(session, turn int, phase record.Phase, text string) *record.Record {
		return &record.Record{RequestID: "r", SessionNum: session, TurnIndex: turn, Phase: phase, StartNs: 1e9,
			EndOffset: 5 * time.Millisecond, InputTokens: 3, OutputTokens: 2, ResponseText: text,
			Responses: record.Responses{{Offset: 4 * time.Millisecond, Kind: record.Content}}}
	}
	late := rec(9, 0, record.PhaseProfiling, "late")
	late.LateForDuration = true
	for _, r := range []*record.Record{rec(2, 1, record.PhaseProfiling, "c"), rec(1, 0, record.PhaseWarmup, "w"),
		rec(2, 0, record.PhaseProfiling, "b"), late, rec(0, 0, record.PhaseProfiling, "")} {
		w.Add(r)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	type entry struct {
		Session int            `json:"session_num"`
		Turn    int            `json:"turn_index"`
		Phase   string         `json:"benchmark_phase"`
		End     int64          `json:"request_end_ns"`
		Metrics map[string]any `json:"metrics"`
		Text    *string        `json:"response_text"`
	}
	var got struct {
		Schema string  `json:"schema_version"`
		Data   []entry `json:"data"`
		Warmup []entry `json:"warmup"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	text := func(e entry) string {
		if e.Text == nil {
			return "<null>"
		}
		return *e.Text
	}
	if got.Schema != "1.1" || len(got.Data) != 3 || len(got.Warmup) != 1 {
		t.Fatalf("outputs.json %s", b)
	}
	for i, want := range []string{"<null>", "b", "c"} {
		if text(got.Data[i]) != want || got.Data[i].Phase != "profiling" {
			t.Errorf("data[%d] = %+v, want text %q", i, got.Data[i], want)
		}
	}
	if text(got.Warmup[0]) != "w" || got.Warmup[0].Phase != "warmup" {
		t.Errorf("warmup %+v", got.Warmup[0])
	}
	if e := got.Data[1]; e.End != 1e9+4e6 || e.Metrics["input_sequence_length"] != 3.0 || e.Metrics["request_latency"] != 4.0 {
		t.Errorf("data[1] end %d metrics %v", e.End, e.Metrics)
	}
	if _, err := os.Stat(path + ".part"); !os.IsNotExist(err) {
		t.Errorf("scratch file left: %v", err)
	}
}

func TestOutputsName(t *testing.T) {
	n, _ := NamesFor("run7")
	if got := OutputsName(n); got != "run7_outputs.json" {
		t.Errorf("prefixed %q", got)
	}
	if got := OutputsName(Names{}); got != OutputsFile {
		t.Errorf("default %q", got)
	}
}
