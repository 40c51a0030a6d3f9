package report

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

func TestCSVGolden(t *testing.T) {
	for name, recs := range map[string][]*record.Record{"csv_3req.golden": threeRequests(), "csv_errors.golden": withErrors()} {
		out := written(t, func(w io.Writer) error { return WriteCSV(w, aggregate(recs)) })
		golden(t, name, []byte(out))
	}
}

func TestCSVContent(t *testing.T) {
	out := written(t, func(w io.Writer) error { return WriteCSV(w, aggregate(threeRequests())) })
	wantIn(t, "CSV", out,
		// AIPerf's STAT_KEYS (constants.py): sum after max.
		"Metric,avg,min,max,sum,p1,p5,p10,p25,p50,p75,p90,p95,p99,std\r\n",
		"Time to First Token (ms),102.36,85.26,135.83,307.08,",
		",134.83,23.67\r\n",
		"\r\n\r\nMetric,Value\r\n",
		"Request Count,3\r\n", // unit dropped, integer bare
		"Benchmark Duration (sec),0.20\r\n",
		"Total Input Sequence Length (tokens),1650\r\n",
	)
	if strings.Contains(out, "Schedule Lag") {
		t.Error("CSV carries our schedule_lag extension")
	}
	// Section rows are sorted by tag.
	if strings.Index(out, "Input Sequence Length") > strings.Index(out, "Inter Chunk Latency") {
		t.Error("section 1 not tag-sorted")
	}
}

func TestJSONGolden(t *testing.T) {
	out := written(t, func(w io.Writer) error { return WriteJSON(w, aggregate(withErrors()), testInfo()) })
	golden(t, "json_errors.golden", []byte(out))

	var doc jsonExport
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	t.Run("ttft", func(t *testing.T) {
		if ttft := doc.TTFT; ttft.Unit != "ms" || ttft.P99 < 134.82 || ttft.P99 > 134.84 {
			t.Errorf("ttft %+v", ttft)
		}
	})
	t.Run("request counts", func(t *testing.T) {
		if rc := doc.RequestCount; len(rc) != 2 || rc["avg"] != 3.0 {
			t.Errorf("request_count %v", rc)
		}
		if doc.ErrorRequestCount.Avg != 5 {
			t.Errorf("error_request_count %+v", doc.ErrorRequestCount)
		}
	})
	t.Run("error summary", func(t *testing.T) {
		es := doc.ErrorSummary
		if len(es) != 3 || es[0].Count != 2 || es[0].ErrorDetails.Code != 500 {
			t.Errorf("error_summary %+v", es)
		}
	})
	t.Run("run fields", func(t *testing.T) {
		if doc.WasCancelled || doc.TokenSource != "words" || doc.StartTime != "2025-10-09T08:53:19.999000" {
			t.Errorf("run fields: %v %v %v", doc.WasCancelled, doc.TokenSource, doc.StartTime)
		}
		if doc.InputConfig.Endpoint == nil {
			t.Error("input_config not echoed")
		}
		if doc.ScheduleLag == nil {
			t.Errorf("no %s extension", metrics.ScheduleLag)
		}
	})
}

// jsonExport is what the tests read back from profile_export_aiperf.json.
type jsonExport struct {
	TTFT struct {
		Unit string  `json:"unit"`
		P99  float64 `json:"p99"`
	} `json:"time_to_first_token"`
	RequestCount      map[string]any `json:"request_count"` // unit and avg only
	ErrorRequestCount struct {
		Avg float64 `json:"avg"`
	} `json:"error_request_count"`
	ErrorSummary []struct {
		Count        int          `json:"count"`
		ErrorDetails record.Error `json:"error_details"`
	} `json:"error_summary"`
	WasCancelled bool   `json:"was_cancelled"`
	TokenSource  string `json:"token_source"`
	StartTime    string `json:"start_time"`
	InputConfig  struct {
		Endpoint json.RawMessage `json:"endpoint"`
	} `json:"input_config"`
	ScheduleLag json.RawMessage `json:"schedule_lag"`
}

func TestJSONLGoldenAndShape(t *testing.T) {
	out := written(t, func(w io.Writer) error { return WriteJSONL(w, withErrors()) })
	golden(t, "jsonl_errors.golden", []byte(out))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 8 { // 9 records minus warmup
		t.Fatalf("%d lines, want 8", len(lines))
	}
	var first struct {
		Metadata map[string]any
		Metrics  map[string]struct {
			Value any
			Unit  string
		}
		Error any
	}
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if first.Metadata["request_end_ns"] != float64(t0+125_260_000) || first.Metadata["benchmark_phase"] != "profiling" {
		t.Errorf("metadata %v", first.Metadata)
	}
	if v := first.Metrics["time_to_first_token"]; v.Value != 85.26 || v.Unit != "ms" {
		t.Errorf("ttft %+v", v)
	}
	if icl, ok := first.Metrics["inter_chunk_latency"].Value.([]any); !ok || len(icl) != 2 {
		t.Errorf("icl %v", first.Metrics["inter_chunk_latency"])
	}
	if !strings.Contains(lines[0], `"input_sequence_length":{"value":550,"unit":"tokens"}`) || !strings.Contains(lines[0], `"error":null`) {
		t.Errorf("line 0: %s", lines[0])
	}
	if !strings.Contains(out, `"metrics":{"error_isl":{"value":550,"unit":"tokens"}},"error":{"code":500,"type":"Internal Server Error"`) {
		t.Error("error record line shape")
	}
}

// The JSONL is our record store: reading it back rebuilds identical reports.
func TestJSONLRoundTrip(t *testing.T) {
	dir := t.TempDir()
	recs := withErrors()
	path := filepath.Join(dir, JSONLFile)
	if err := writeFile(path, func(w io.Writer) error { return WriteJSONL(w, recs) }); err != nil {
		t.Fatal(err)
	}
	back, err := ReadRecords(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != 8 {
		t.Fatalf("read %d records", len(back))
	}
	if !reflect.DeepEqual(back[0], recs[0]) {
		t.Errorf("record changed:\n%+v\n%+v", back[0], recs[0])
	}
	if got, want := aggregate(back), aggregate(recs); !reflect.DeepEqual(got, want) {
		t.Errorf("aggregate differs after round trip:\n%+v\n%+v", got, want)
	}
}

// Merging shards = aggregating the union of their records.
func TestMergeShards(t *testing.T) {
	dir := t.TempDir()
	all := withErrors()
	shards := [][]*record.Record{all[:4], all[4:]}
	var merged []*record.Record
	for i, s := range shards {
		p := filepath.Join(dir, "shard"+string(rune('0'+i))+".jsonl")
		if err := writeFile(p, func(w io.Writer) error { return WriteJSONL(w, s) }); err != nil {
			t.Fatal(err)
		}
		recs, err := ReadRecords(p)
		if err != nil {
			t.Fatal(err)
		}
		merged = append(merged, recs...)
	}
	var a, b bytes.Buffer
	WriteCSV(&a, aggregate(merged))
	WriteCSV(&b, aggregate(all))
	if a.String() != b.String() {
		t.Errorf("merged CSV differs:\n%s\n%s", a.String(), b.String())
	}
	if !reflect.DeepEqual(aggregate(merged), aggregate(all)) {
		t.Error("merged result differs")
	}
}

func TestReadRecordsErrors(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"bad.jsonl":     "{\"record\":{\"x_request_id\":\"a\"}}\n{not json\n",
		"foreign.jsonl": "{\"metadata\":{},\"metrics\":{},\"error\":null}\n",
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		_, err := ReadRecords(p)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if !strings.Contains(err.Error(), p+":") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %q does not name file and line on one line", name, err)
		}
	}
	if _, err := ReadRecords(filepath.Join(dir, "missing.jsonl")); err == nil {
		t.Error("missing file: no error")
	}
}

func TestWriteInputs(t *testing.T) {
	body := []byte(`{"messages":[{"role":"user","content":[{"type":"text","text":"hi <there>"},{"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}}]}],"model":"m","stream":true}`)
	entries := []InputsEntry{{SessionID: "s0", Payloads: []Payload{RawPayload(body), RawPayload(body)}}, {SessionID: "s1", Payloads: []Payload{RawPayload(body)}}}
	out := written(t, func(w io.Writer) error { return WriteInputs(context.Background(), w, entries) })
	golden(t, "inputs.golden", []byte(out))
	var doc struct {
		Data []struct {
			SessionID string            `json:"session_id"`
			Payloads  []json.RawMessage `json:"payloads"`
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Data) != 2 || doc.Data[0].SessionID != "s0" || len(doc.Data[0].Payloads) != 2 {
		t.Fatalf("%+v", doc)
	}
	var compact bytes.Buffer
	json.Compact(&compact, doc.Data[1].Payloads[0])
	if compact.String() != string(body) {
		t.Errorf("payload changed:\n%s", compact.String())
	}
	var b bytes.Buffer
	if err := WriteInputs(context.Background(), &b, nil); err != nil || b.String() != "{\n  \"data\": []\n}" {
		t.Errorf("empty: %q %v", b.String(), err)
	}
	if err := WriteInputs(context.Background(), &b, []InputsEntry{{SessionID: "x", Payloads: []Payload{RawPayload("{bad")}}}); err == nil {
		t.Error("bad payload: no error")
	}
}

func TestWriteAll(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "artifacts", "run")
	recs := withErrors()
	p, err := WriteAll(dir, aggregate(recs), recs, testInfo())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{p.CSV, p.JSON, p.JSONL} {
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
		if !filepath.IsAbs(f) {
			t.Errorf("%s not absolute", f)
		}
	}
	if st, err := os.Stat(filepath.Dir(p.Log)); err != nil || !st.IsDir() {
		t.Errorf("log dir: %v", err)
	}
	if p.Log != absPath(LogPath(dir)) || filepath.Base(p.Log) != "aiperf.log" {
		t.Errorf("log path %s", p.Log)
	}
	if err := WriteInputsFile(context.Background(), dir, []InputsEntry{{SessionID: "s", Payloads: []Payload{RawPayload(`{}`)}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, InputsFile)); err != nil {
		t.Error(err)
	}
}

// The CSV's goodput rows carry AIPerf's headers: good_request_count's header is
// "GoodRequestCount" (aiperf/metrics/types/good_request_count_metric.py), its
// unit dropped like every count of requests.
func TestCSVGoodputHeaders(t *testing.T) {
	res := metrics.Aggregate(threeRequests(), metrics.AggregateOptions{Goodput: map[string]float64{metrics.RequestLatency: 1000}})
	out := written(t, func(w io.Writer) error { return WriteCSV(w, res) })
	wantIn(t, "CSV", out, "\r\nGoodRequestCount,3\r\n", "\r\nGoodput (requests/sec),")
}
