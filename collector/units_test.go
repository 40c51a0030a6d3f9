package collector

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

func TestPhaseDurations(t *testing.T) {
	cases := []struct {
		name string
		in   record.HTTPPhases
		want [5]time.Duration
	}{
		{"new TLS connection", record.HTTPPhases{DNS: ms(1), Connect: ms(3), TLS: ms(10), RequestWritten: ms(12), FirstByte: ms(50)},
			[5]time.Duration{ms(1), ms(2), ms(7), ms(2), ms(38)}},
		{"IP literal, plain HTTP", record.HTTPPhases{Connect: ms(2), RequestWritten: ms(7), FirstByte: ms(9)},
			[5]time.Duration{0, ms(2), 0, ms(5), ms(2)}},
		{"reused connection", record.HTTPPhases{RequestWritten: ms(4), FirstByte: ms(30), ConnReused: true},
			[5]time.Duration{0, 0, 0, ms(4), ms(26)}},
		{"failed before the first byte", record.HTTPPhases{Connect: ms(2)},
			[5]time.Duration{0, ms(2), 0, 0, 0}},
	}
	for _, c := range cases {
		if got := PhaseDurations(&c.in); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func TestReasonOf(t *testing.T) {
	cases := []struct {
		name string
		r    record.Record
		want record.Reason
	}{
		{"probe's own reason wins", record.Record{Reason: record.ReasonTimeout, Error: &record.Error{Code: 500}}, record.ReasonTimeout},
		{"cancelled", record.Record{Cancelled: true, Error: &record.Error{Code: 499}}, record.ReasonCancelled},
		{"404", record.Record{Error: &record.Error{Code: 404}}, record.ReasonHTTP4xx},
		{"503", record.Record{Error: &record.Error{Code: 503}}, record.ReasonHTTP5xx},
		{"no code", record.Record{Error: &record.Error{Message: "x"}}, record.ReasonHTTPOther},
		{"200 without content", record.Record{HTTPStatus: 200}, record.ReasonNoContent},
	}
	for _, c := range cases {
		if got := ReasonOf(&c.r); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestInFlightAndLateRecords(t *testing.T) {
	_, c := newTest(t)
	for range 3 {
		c.Started("short", "omni", "gpu0")
	}
	late := success("late")
	late.LateForDuration = true
	c.Observe(late)
	if got := testutil.ToFloat64(c.inFlight.WithLabelValues("short", "omni", "gpu0")); got != 2 {
		t.Fatalf("in flight %v, want 2", got)
	}
	if got := testutil.ToFloat64(c.requests.WithLabelValues("short", "omni", "gpu0", "success")); got != 0 {
		t.Fatalf("a late record was counted: %v", got)
	}
	// An older success never moves the last-success time back.
	newer, older := success("a"), success("b")
	older.StartNs -= int64(time.Minute)
	c.Observe(newer)
	c.Observe(older)
	want := float64(newer.StartNs+int64(newer.EndOffset)) / 1e9
	if got := testutil.ToFloat64(c.lastSuccess.WithLabelValues("short", "omni", "gpu0")); got != want {
		t.Fatalf("last success %v, want %v", got, want)
	}
}
