package main

import (
	"strings"
	"testing"
)

// --export-http-trace puts AIPerf's trace_data on every profile_export.jsonl
// line, timed from the record's own start; --show-trace-timing prints the
// trace table. Without them, neither.
func TestProfileHTTPTrace(t *testing.T) {
	for _, on := range []bool{false, true} {
		args := []string{"--mock", "--model", "m", "--request-count", "3", "--streaming", "--no-server-metrics"}
		if on {
			args = append(args, "--export-http-trace", "--show-trace-timing")
		}
		out, dir := profileOK(t, args...)
		if got := strings.Contains(out, "NVIDIA AIPerf | HTTP Trace Timing"); got != on {
			t.Errorf("flags %v: trace table printed %v:\n%s", on, got, out)
		}
		lines := readJSONLAs[struct {
			Metadata struct {
				Start int64 `json:"request_start_ns"`
			} `json:"metadata"`
			Trace *struct {
				Type  string `json:"trace_type"`
				Start int64  `json:"request_send_start_ns"`
				Sent  int64  `json:"request_send_end_ns"`
				End   int64  `json:"response_receive_end_ns"`
				Code  int    `json:"response_status_code"`
			} `json:"trace_data"`
		}](t, dir)
		for _, line := range lines {
			switch {
			case !on && line.Trace != nil:
				t.Errorf("trace_data without --export-http-trace: %+v", *line.Trace)
			case on && (line.Trace == nil || line.Trace.Type != "httptrace" || line.Trace.Start != line.Metadata.Start ||
				!(line.Trace.Sent > line.Trace.Start && line.Trace.End > line.Trace.Sent) || line.Trace.Code != 200):
				t.Errorf("trace_data wrong: start %d, %+v", line.Metadata.Start, line.Trace)
			}
		}
		if len(lines) != 3 {
			t.Errorf("%d lines, want 3", len(lines))
		}
	}
}
