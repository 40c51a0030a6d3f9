package metrics

import (
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

func msd(n float64) time.Duration { return time.Duration(n * float64(time.Millisecond)) }

func TestPhaseDurations(t *testing.T) {
	cases := []struct {
		name string
		in   record.HTTPPhases
		want [5]time.Duration
	}{
		{"new TLS connection", record.HTTPPhases{DNS: msd(1), Connect: msd(3), TLS: msd(10), RequestWritten: msd(12), FirstByte: msd(50)},
			[5]time.Duration{msd(1), msd(2), msd(7), msd(2), msd(38)}},
		{"IP literal, plain HTTP", record.HTTPPhases{Connect: msd(2), RequestWritten: msd(7), FirstByte: msd(9)},
			[5]time.Duration{0, msd(2), 0, msd(5), msd(2)}},
		{"reused connection", record.HTTPPhases{RequestWritten: msd(4), FirstByte: msd(30), ConnReused: true},
			[5]time.Duration{0, 0, 0, msd(4), msd(26)}},
		{"failed before the first byte", record.HTTPPhases{Connect: msd(2)},
			[5]time.Duration{0, msd(2), 0, 0, 0}},
	}
	for _, c := range cases {
		if got := PhaseDurations(&c.in); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func TestFirstTokenWait(t *testing.T) {
	streamed := func(p *record.HTTPPhases) *record.Record {
		return &record.Record{Streaming: true, HTTPPhases: p, OutputTokens: 1,
			Responses: []record.Response{{Offset: msd(100), Kind: record.Content}}}
	}
	cases := []struct {
		name string
		r    *record.Record
		want float64
		ok   bool
	}{
		{"TTFT 100 after first byte 30", streamed(&record.HTTPPhases{FirstByte: msd(30)}), 70, true},
		{"first byte after the first token (coalesced)", streamed(&record.HTTPPhases{FirstByte: msd(120)}), 0, true},
		{"no phases", streamed(nil), 0, false},
		{"no first byte", streamed(&record.HTTPPhases{Connect: msd(2)}), 0, false},
		{"failed", &record.Record{Streaming: true, HTTPPhases: &record.HTTPPhases{FirstByte: msd(30)}, Error: &record.Error{Code: 500}}, 0, false},
	}
	for _, c := range cases {
		got, ok := FirstTokenWait(c.r)
		if ok != c.ok || (ok && (got-c.want > 1e-9 || c.want-got > 1e-9)) {
			t.Errorf("%s: got %v %v, want %v %v", c.name, got, ok, c.want, c.ok)
		}
	}
}
