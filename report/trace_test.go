package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// traceRecord is a streamed request on a new TLS connection, or on a reused one.
func traceRecord(reused bool) *record.Record {
	p := &record.HTTPPhases{DNS: 1 * time.Millisecond, Connect: 3 * time.Millisecond, TLS: 6 * time.Millisecond,
		RequestWritten: 7 * time.Millisecond, FirstByte: 20 * time.Millisecond}
	if reused {
		p = &record.HTTPPhases{RequestWritten: 1 * time.Millisecond, FirstByte: 5 * time.Millisecond, ConnReused: true}
	}
	return &record.Record{RequestID: "r", Phase: record.PhaseProfiling, Streaming: true, StartNs: 1_000_000_000, HTTPStatus: 200,
		EndOffset: 50 * time.Millisecond, HTTPPhases: p,
		Responses: record.Responses{{Offset: 30 * time.Millisecond, Kind: record.Content}}}
}

// trace_data has AIPerf's names for what was measured, in wall-clock ns, and
// leaves out what did not happen on a reused connection.
func TestTraceData(t *testing.T) {
	cases := []struct {
		reused bool
		want   map[string]any
	}{
		{false, map[string]any{
			"trace_type": "httptrace", "request_send_start_ns": 1e9,
			"dns_lookup_end_ns": 1.001e9, "tcp_connect_end_ns": 1.003e9, "tls_handshake_end_ns": 1.006e9,
			"request_send_end_ns": 1.007e9, "response_headers_received_ns": 1.02e9, "response_receive_end_ns": 1.05e9,
			"response_status_code": 200.0, "dns_lookup_ns": 1e6, "connecting_ns": 5e6, "sending_ns": 1e6,
			"waiting_ns": 13e6, "receiving_ns": 30e6, "duration_ns": 44e6, "connection_reused": false,
		}},
		{true, map[string]any{
			"trace_type": "httptrace", "request_send_start_ns": 1e9,
			"request_send_end_ns": 1.001e9, "response_headers_received_ns": 1.005e9, "response_receive_end_ns": 1.05e9,
			"response_status_code": 200.0, "sending_ns": 1e6, "waiting_ns": 4e6, "receiving_ns": 45e6,
			"duration_ns": 50e6, "connection_reused": true,
		}},
	}
	for _, c := range cases {
		var got map[string]any
		b, err := marshal(traceData(traceRecord(c.reused)))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("reused %v: trace_data\n%v\nwant\n%v", c.reused, got, c.want)
		}
	}
	if traceData(&record.Record{}) != nil {
		t.Error("trace_data for a record without phases")
	}
}

// The JSONL line has trace_data only when asked.
func TestRecordFileHTTPTrace(t *testing.T) {
	for _, trace := range []bool{false, true} {
		var b bytes.Buffer
		w := bufio.NewWriter(&b)
		if err := writeLine(w, traceRecord(false), metrics.ForRecord(traceRecord(false)), trace); err != nil {
			t.Fatal(err)
		}
		w.Flush()
		if got := strings.Contains(b.String(), `"trace_data":`); got != trace {
			t.Errorf("trace %v: line has trace_data %v: %s", trace, got, b.String())
		}
	}
}

// --show-trace-timing's table: a row per phase that happened, the reuse ratio.
func TestWriteTraceTiming(t *testing.T) {
	var tally Tally
	tally.Add(traceRecord(false))
	tally.Add(traceRecord(true))
	out := written(t, func(w io.Writer) error { return WriteTraceTiming(w, &tally, ConsoleOptions{Width: 160}) })
	for _, want := range []string{"NVIDIA AIPerf | HTTP Trace Timing", "HTTP DNS Lookup (ms)", "HTTP Waiting (to headers) (ms)",
		"First Token Wait (after headers) (ms)", "HTTP Connection Reused (ratio)"} {
		if !strings.Contains(out, want) {
			t.Errorf("table has no %q:\n%s", want, out)
		}
	}
	// Waiting: 13 and 4 ms; the reuse ratio 0.50.
	if !regexpMatch(out, `HTTP Waiting \(to headers\) \(ms\)\s*│\s*8\.50\s*│\s*4\.00\s*│\s*13\.00`) || !regexpMatch(out, `Reused \(ratio\)\s*│\s*0\.50\s*│\s*N/A`) {
		t.Errorf("wrong figures:\n%s", out)
	}
	var b bytes.Buffer
	if err := WriteTraceTiming(&b, &Tally{}, ConsoleOptions{Width: 160}); err != nil || b.Len() != 0 {
		t.Errorf("no phases: wrote %q, %v", b.String(), err)
	}
}

func regexpMatch(s, pattern string) bool { return regexp.MustCompile(pattern).MatchString(s) }
