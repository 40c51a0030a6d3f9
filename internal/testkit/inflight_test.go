package testkit

import (
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

func TestMostInFlight(t *testing.T) {
	rec := func(start, end int64) *record.Record {
		return &record.Record{StartNs: start, EndOffset: time.Duration(end - start)}
	}
	for _, c := range []struct {
		name string
		recs []*record.Record
		want int
	}{
		{"none", nil, 0},
		{"one", []*record.Record{rec(0, 10)}, 1},
		{"back to back", []*record.Record{rec(0, 10), rec(10, 20), rec(20, 30)}, 1},
		{"nested", []*record.Record{rec(0, 100), rec(10, 20), rec(15, 30), rec(40, 50)}, 3},
		{"out of order", []*record.Record{rec(50, 60), rec(0, 55), rec(52, 58)}, 3},
	} {
		if got := MostInFlight(c.recs); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}
