package sweep

import (
	"strings"
	"testing"
)

func TestParseSLA(t *testing.T) {
	for _, c := range []struct {
		in   string
		want SLAFilter
		err  string
	}{
		{"time_to_first_token:p95:lt:200", SLAFilter{"time_to_first_token", "p95", "lt", 200}, ""},
		{"request_error_rate:avg:le:1", SLAFilter{"request_error_rate", "avg", "le", 1}, ""},
		{"output_token_throughput:avg:ge:1e3", SLAFilter{"output_token_throughput", "avg", "ge", 1000}, ""},
		{"time_to_first_token:p95:lt", SLAFilter{}, "expected 4 colon-separated parts"},
		{"time_to_first_token:p95:lt:200:1", SLAFilter{}, "got 5"},
		{"time_to_first_token:p97:lt:200", SLAFilter{}, `unknown stat "p97"`},
		{"time_to_first_token:p95:<:200", SLAFilter{}, `unknown op "<"`},
		{"time_to_first_token:p95:lt:fast", SLAFilter{}, `threshold "fast" is not a number`},
		{"time_to_first_token:p95:lt: 200", SLAFilter{}, `threshold " 200" is not a number`}, // AIPerf trims nothing
		{"time_to_first_token:p95:lt:NaN", SLAFilter{}, "is not a number"},
		{":p95:lt:200", SLAFilter{}, "the metric tag is empty"},
	} {
		got, err := ParseSLA(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: error %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q: %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
}

func TestSLAOps(t *testing.T) {
	for _, c := range []struct {
		op   string
		v    float64
		want bool
	}{
		{"", 99, true}, {"", 100, false}, // the recipes' SLAs: below
		{"lt", 100, false}, {"le", 100, true}, {"le", 100.5, false},
		{"gt", 100, false}, {"gt", 101, true}, {"ge", 100, true}, {"ge", 99, false},
	} {
		f := SLAFilter{Metric: "m", Stat: "avg", Op: c.op, Threshold: 100}
		if got := f.met(map[string]Stat{"m_avg": {Mean: c.v}}); got != c.want {
			t.Errorf("%s %g against 100: %v, want %v", c.op, c.v, got, c.want)
		}
	}
	if (SLAFilter{Metric: "m", Stat: "avg", Op: "ge"}).met(map[string]Stat{}) {
		t.Error("a figure the runs lack meets an SLA")
	}
}

// request_error_rate and good_request_fraction as AIPerf derives them from
// the counts: errors over all finished, in percent; good over all finished.
func TestDerive(t *testing.T) {
	exp := map[string]Value{"request_count_avg": {V: 6}, "error_request_count_avg": {V: 2}, "good_request_count_avg": {V: 4}}
	derive(exp)
	if exp[ErrorRateFigure].V != 25 || exp[GoodFractionFigure].V != 0.5 {
		t.Errorf("derived %v", exp)
	}
	clean := map[string]Value{"request_count_avg": {V: 6}}
	derive(clean)
	if v, ok := clean[ErrorRateFigure]; !ok || v.V != 0 {
		t.Errorf("a clean run's error rate: %v", clean)
	}
	if _, ok := clean[GoodFractionFigure]; ok {
		t.Error("good_request_fraction without --goodput")
	}
	empty := map[string]Value{"good_request_count_avg": {V: 0}}
	derive(empty)
	if _, ok := empty[ErrorRateFigure]; ok || empty[GoodFractionFigure].V != 0 {
		t.Errorf("nothing finished: %v", empty)
	}
}
