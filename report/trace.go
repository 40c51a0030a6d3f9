package report

import (
	"io"
	"strings"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// TraceType names where trace_data's timings come from: Go's net/http/httptrace
// hooks (AIPerf's are aiohttp's, "aiohttp").
const TraceType = "httptrace"

// traceData is the "trace_data" of a profile_export.jsonl line with
// --export-http-trace, in AIPerf's field names: wall-clock timestamps (ns)
// and durations (ns) of the HTTP phases the record holds. A field whose event
// did not happen (DNS or connect on a reused connection) is left out, as
// AIPerf leaves it out. nil for a record without phase timings.
//
// Ours, beside AIPerf's names: tls_handshake_end_ns and connection_reused.
// Not measured here, so never written: request and response headers, chunk
// lists, the pool wait (blocked_ns), the first body chunk and the socket
// addresses. waiting_ns ends at the response headers, AIPerf's at the first
// body byte.
func traceData(r *record.Record) *object {
	p := r.HTTPPhases
	if p == nil {
		return nil
	}
	at := func(d time.Duration) int64 { return r.StartNs + int64(d) }
	d := metrics.PhaseDurations(p) // dns, connect, tls, request_written, first_byte
	o := &object{}
	o.set("trace_type", TraceType)
	o.set("request_send_start_ns", r.StartNs)
	for _, e := range []struct {
		name string
		end  time.Duration
	}{{"dns_lookup_end_ns", p.DNS}, {"tcp_connect_end_ns", p.Connect}, {"tls_handshake_end_ns", p.TLS},
		{"request_send_end_ns", p.RequestWritten}, {"response_headers_received_ns", p.FirstByte}} {
		if e.end > 0 {
			o.set(e.name, at(e.end))
		}
	}
	o.set("response_receive_end_ns", at(r.EndOffset))
	if r.Error != nil {
		o.set("error_timestamp_ns", at(r.EndOffset))
	}
	if r.HTTPStatus != 0 {
		o.set("response_status_code", r.HTTPStatus)
	}
	if d[0] > 0 {
		o.set("dns_lookup_ns", int64(d[0]))
	}
	if d[1]+d[2] > 0 { // AIPerf's connecting includes the TLS handshake
		o.set("connecting_ns", int64(d[1]+d[2]))
	}
	if d[3] > 0 {
		o.set("sending_ns", int64(d[3]))
	}
	if d[4] > 0 {
		o.set("waiting_ns", int64(d[4]))
	}
	if p.FirstByte > 0 && r.EndOffset >= p.FirstByte {
		o.set("receiving_ns", int64(r.EndOffset-p.FirstByte))
	}
	// duration: from the start of sending (after any new connection) to the
	// end of the response, AIPerf's "excluding connection overhead".
	sendStart := max(p.DNS, p.Connect, p.TLS)
	if r.EndOffset >= sendStart {
		o.set("duration_ns", int64(r.EndOffset-sendStart))
	}
	o.set("connection_reused", p.ConnReused)
	return o
}

// traceHeaders are the console rows of --show-trace-timing, by
// metrics.HTTPPhaseNames then first_token.
var traceHeaders = []string{"HTTP DNS Lookup", "HTTP Connecting", "HTTP TLS Handshake", "HTTP Sending",
	"HTTP Waiting (to headers)", "First Token Wait (after headers)"}

// WriteTraceTiming prints AIPerf's --show-trace-timing table after the main
// report: for each HTTP phase, the ms statistics over the requests in which
// it happened (the JSON export's http_phases), then the share of requests on
// a reused connection. Nothing when no record has phase timings.
func WriteTraceTiming(w io.Writer, t *Tally, opt ConsoleOptions) error {
	if t == nil || t.phases.newConns+t.phases.reused == 0 {
		return nil
	}
	tab := &table{title: "NVIDIA AIPerf | HTTP Trace Timing", titleStyle: "italic"}
	tab.columns = append(tab.columns, column{header: "Metric", style: "cyan"})
	for _, k := range consoleStats {
		tab.columns = append(tab.columns, column{header: k, style: "green"})
	}
	na := func(row []cell) []cell {
		for len(row) <= len(consoleStats) {
			row = append(row, cell{text: "N/A", dim: true})
		}
		return row
	}
	for i, header := range traceHeaders {
		if t.phases.values[i].Len() == 0 {
			continue
		}
		s := metrics.Summarize(t.phases.values[i].Slice())
		row := []cell{{text: header + " (ms)"}}
		for _, k := range consoleStats {
			v, _ := s.Stat(k)
			row = append(row, cell{text: comma2(v)})
		}
		tab.rows = append(tab.rows, row)
	}
	reused := float64(t.phases.reused) / float64(t.phases.newConns+t.phases.reused)
	tab.rows = append(tab.rows, na([]cell{{text: "HTTP Connection Reused (ratio)"}, {text: comma2(reused)}}))
	var b strings.Builder
	b.WriteString("\n")
	tab.render(&b, max(opt.Width, minConsoleWidth), opt.Color)
	_, err := io.WriteString(w, b.String())
	return err
}
