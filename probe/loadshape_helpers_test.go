package probe

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/internal/mocktest"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// startMock runs the real mock server in-process for one test.
func startMock(t testing.TB, cfg mockserver.Config) *mockserver.Running {
	t.Helper()
	return mocktest.Start(t, cfg)
}

// chatDataset is n one-turn streamed chat conversations for the mock; stamps,
// when given, become the first turns' trace timestamps.
func chatDataset(n int, stamps ...time.Duration) *inputs.Dataset {
	ds := &inputs.Dataset{}
	for i := 0; i < n; i++ {
		body := fmt.Sprintf(`{"model":"m","messages":[{"role":"user","content":"say something number %d"}],"stream":true}`, i)
		turn := inputs.Turn{Body: inputs.Body{[]byte(body)}, ContentType: inputs.ContentTypeJSON, Model: "m", InputTokens: 4}
		if i < len(stamps) {
			turn.Timestamp, turn.HasTimestamp = stamps[i], true
		}
		ds.Conversations = append(ds.Conversations, inputs.Conversation{ID: fmt.Sprintf("c%d", i), Turns: []inputs.Turn{turn}})
	}
	if len(stamps) > 0 {
		ds.FixedSchedule = true
	}
	return ds
}

// runMock runs the engine against m and returns the records sorted by actual start.
func runMock(t testing.TB, ctx context.Context, m *mockserver.Running, ds *inputs.Dataset, cfg Config) []*record.Record {
	t.Helper()
	cfg.Targets = []Target{{Name: "mock", URL: m.URL + "/v1/chat/completions"}}
	cfg.Streaming = true
	if cfg.Timeout == 0 {
		cfg.Timeout = 20 * time.Second
	}
	recs, err := collect(ctx, cfg, ds)
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(recs, func(a, b *record.Record) int { return int(a.StartNs - b.StartNs) })
	return recs
}

// achievedRate is requests per second over the span of actual starts.
func achievedRate(recs []*record.Record) float64 {
	span := time.Duration(recs[len(recs)-1].StartNs - recs[0].StartNs)
	return float64(len(recs)-1) / span.Seconds()
}

func meanStd(xs []float64) (mean, std float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		std += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(std / float64(len(xs)))
}

// ksExponential is the Kolmogorov–Smirnov distance between the sample and an
// exponential distribution of the given mean.
func ksExponential(xs []float64, mean float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := float64(len(s))
	d := 0.0
	for i, x := range s {
		f := 1 - math.Exp(-x/mean)
		d = max(d, math.Abs(f-float64(i)/n), math.Abs(float64(i+1)/n-f))
	}
	return d
}

func lagsMs(recs []*record.Record) []float64 {
	out := make([]float64, len(recs))
	for i, r := range recs {
		out[i] = float64(r.ScheduleLag()) / float64(time.Millisecond)
	}
	return out
}

func percentile(xs []float64, q float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[int(math.Round(q*float64(len(s)-1)))]
}

// flightEvent is a request starting (delta +1) or ending (delta -1) at at.
type flightEvent struct {
	at    int64
	delta int
}

// flightEvents is every record's start and end in time order, an end before
// a start at the same instant, for counting the requests in flight.
func flightEvents(recs []*record.Record) []flightEvent {
	var evs []flightEvent
	for _, r := range recs {
		evs = append(evs, flightEvent{r.StartNs, 1}, flightEvent{r.StartNs + int64(r.EndOffset), -1})
	}
	slices.SortStableFunc(evs, func(a, b flightEvent) int {
		if a.at != b.at {
			return cmp.Compare(a.at, b.at)
		}
		return cmp.Compare(a.delta, b.delta)
	})
	return evs
}
