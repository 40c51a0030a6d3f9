package probe

import (
	"context"
	"testing"
	"time"
)

// BenchmarkScheduleLag replays 200 requests 5 ms apart (fixed schedule) and a
// 200 req/s constant rate against the in-process mock, and reports how late
// the requests left: p50/p99/max schedule lag in µs. Run with
// `go test -run '^$' -bench ScheduleLag -benchtime 1x ./probe/`.
func BenchmarkScheduleLag(b *testing.B) {
	m := startMock(b, fastMock)
	stamps := make([]time.Duration, 200)
	for i := range stamps {
		stamps[i] = time.Duration(i) * 5 * time.Millisecond
	}
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"fixed", Config{FixedSchedule: true}},
		{"rate", Config{RequestRate: 200, RequestCount: 200}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				recs := runMock(b, context.Background(), m, chatDataset(len(stamps), stamps...), tc.cfg)
				lags := lagsMs(recs)
				b.ReportMetric(percentile(lags, 0.5)*1000, "p50-lag-µs")
				b.ReportMetric(percentile(lags, 0.99)*1000, "p99-lag-µs")
				b.ReportMetric(percentile(lags, 1)*1000, "max-lag-µs")
			}
		})
	}
}
