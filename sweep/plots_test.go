package sweep

import "testing"

// A load meets the SLOs when 95% of its requests met every --goodput SLO.
func TestPointsMeetSLO(t *testing.T) {
	for _, c := range []struct {
		good, count float64
		hasGood     bool
		want        bool
	}{
		{100, 100, true, true}, {95, 100, true, true}, {94, 100, true, false},
		{0, 0, true, false}, {100, 100, false, false},
	} {
		st := map[string]Stat{"request_count_avg": {Mean: c.count}, "output_token_throughput_per_user_p50": {Mean: 42}}
		if c.hasGood {
			st["good_request_count_avg"] = Stat{Mean: c.good}
		}
		s := &summary{params: []Param{{Name: "concurrency", Whole: true}}, stats: []map[string]Stat{st},
			PerCombination: []combination{{Parameters: map[string]any{"concurrency": 4}}}}
		p := s.points()[0]
		if p.MeetsSLO != c.want || p.PerUser != 42 || p.Label != "c=4" {
			t.Errorf("good %v of %v (goodput given: %v): %+v, want meets %v", c.good, c.count, c.hasGood, p, c.want)
		}
	}
}
