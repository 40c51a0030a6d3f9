package options

import "testing"

// A one-shot run without --request-count sends max(10, 2 x concurrency)
// requests, concurrency being 1 when no load flag is given.
func TestProfileRequestCount(t *testing.T) {
	cases := []struct {
		name string
		o    Options
		want int
	}{
		{"no load flag", Options{}, 10},
		{"small concurrency", Options{Concurrency: 4}, 10},
		{"concurrency 5 is the edge", Options{Concurrency: 5}, 10},
		{"concurrency 6", Options{Concurrency: 6}, 12},
		{"large concurrency", Options{Concurrency: 100}, 200},
		{"rate without concurrency", Options{RequestRate: 50}, 10},
		{"rate with concurrency", Options{RequestRate: 50, Concurrency: 8}, 16},
		{"given count wins", Options{Concurrency: 100, RequestCount: 3}, 3},
	}
	for _, c := range cases {
		if got := c.o.ProfileRequestCount(); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}
