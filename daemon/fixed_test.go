package daemon

import (
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/aiperf-exporter/aiperf-exporter/internal/mocktest"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
)

// A fixed schedule with nothing to send stops serve at start with a line
// naming the flag, instead of an engine that fails and restarts forever.
func TestServeRefusesEmptyFixedSchedule(t *testing.T) {
	for _, tc := range []struct {
		extra []string
		want  string
	}{
		{[]string{"--fixed-schedule"}, "--fixed-schedule"},
		{[]string{"--input-file", "../inputs/testdata/mooncake_trace.jsonl", "--fixed-schedule-start-offset", "5000"}, "--fixed-schedule-start-offset"},
	} {
		o, s := daemonOptions(t, "http://127.0.0.1:9", tc.extra...)
		_, err := NewApp(o, s, zap.NewNop())
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: error %v, want one line naming %s", tc.extra, err, tc.want)
		}
	}
}

// A trace with timestamps is sent on its schedule, once, as in profile: the
// five lines of the fixture, then the scenario ends and /metrics stays up.
func TestServeSendsTraceOnItsTimestamps(t *testing.T) {
	mock := mocktest.Start(t, mockserver.Config{TTFT: time.Millisecond, ITL: time.Millisecond})
	o, s := daemonOptions(t, mock.URL, "--input-file", "../inputs/testdata/mooncake_trace.jsonl")
	a, stop := startAppWith(t, o, s, nil)
	defer stop()
	requests := func() float64 { return a.metric(t, "aiperf_requests_total") }
	eventually(t, 30*time.Second, 20*time.Millisecond, "the trace's 5 requests", func() bool { return requests() >= 5 })
	eventually(t, 30*time.Second, 20*time.Millisecond, "the scenario to end", func() bool {
		return strings.Contains(a.logs.String(), "scenario finished its configured requests")
	})
	if got := requests(); got != 5 {
		t.Errorf("%v requests, want the trace's 5 (a closed loop would keep sending)", got)
	}
}
