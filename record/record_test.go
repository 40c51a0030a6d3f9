package record

import "testing"

func TestCounted(t *testing.T) {
	cases := []struct {
		name string
		r    *Record
		want bool
	}{
		{"profiling", &Record{Phase: PhaseProfiling}, true},
		{"phase unset (daemon, old JSONL)", &Record{}, true},
		{"failed", &Record{Error: &Error{Code: 500}}, true},
		{"warmup", &Record{Phase: PhaseWarmup}, false},
		{"ended after duration + grace", &Record{LateForDuration: true}, false},
		{"nil", nil, false},
	}
	for _, c := range cases {
		if got := c.r.Counted(); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}
