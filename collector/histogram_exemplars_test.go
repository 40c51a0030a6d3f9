package collector

import (
	"slices"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// The time-dependent rules of the native exemplars, which the equivalence test
// cannot reach (client_golang reads the real clock): once full, an exemplar
// older than the TTL is replaced first, else the older of the closest pair.
func TestNativeExemplarReplacement(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	ex := func(v float64, age time.Duration) *dto.Exemplar {
		return &dto.Exemplar{Value: &v, Timestamp: timestamppb.New(t0.Add(age))}
	}
	cases := []struct {
		name string
		have []*dto.Exemplar // sorted by value
		add  *dto.Exemplar
		room bool // the list is not full yet
		want []float64
	}{
		{"not full: inserted in order, after equal values",
			[]*dto.Exemplar{ex(1, 0), ex(4, 0)}, ex(1, time.Second), true, []float64{1, 1, 4}},
		{"expired: the oldest goes, wherever it is",
			[]*dto.Exemplar{ex(1, time.Minute), ex(2, 2*time.Minute), ex(100, 0)}, ex(50, 6*time.Minute), false, []float64{1, 2, 50}},
		{"not expired: the older of the closest pair goes",
			[]*dto.Exemplar{ex(1, time.Minute), ex(10, 0), ex(11, 2*time.Minute), ex(1000, 3*time.Minute)}, ex(200, 4*time.Minute), false,
			[]float64{1, 11, 200, 1000}},
		{"the new one closer to a neighbour replaces that neighbour",
			[]*dto.Exemplar{ex(1, 0), ex(100, time.Minute), ex(10000, 2*time.Minute)}, ex(101, 3*time.Minute), false, []float64{1, 101, 10000}},
		{"one kept: replaced", []*dto.Exemplar{ex(5, 0)}, ex(7, time.Second), false, []float64{7}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := nativeExemplars{max: len(tc.have), ttl: nativeExemplarTTL, ex: slices.Clone(tc.have)}
			if tc.room {
				n.max++
			}
			n.add(tc.add)
			var got []float64
			for _, e := range n.ex {
				got = append(got, e.GetValue())
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("values %v, want %v", got, tc.want)
			}
			if i := slices.Index(n.ex, tc.add); i < 0 {
				t.Error("the new exemplar is not kept")
			}
		})
	}
}
