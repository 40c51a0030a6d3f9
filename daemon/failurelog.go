package daemon

import (
	"sort"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// DefaultLogEvery is how often repeated probe failures are summarised.
const DefaultLogEvery = time.Minute

// failureKey is what a failure summary line is about.
type failureKey struct {
	Scenario, Target string
	Reason           record.Reason
}

// FailureStat is how often a scenario's probes to one target failed for one
// reason since the scenarios were (re)loaded, and the newest such failure.
type FailureStat struct {
	Target     string
	Reason     record.Reason
	Count      int
	HTTPStatus int
	Error      string // masked by the engine, truncated
	Last       time.Time
}

// failureLog keeps failed probes from flooding the log: at 30 % failures and
// concurrency 32 one warn line per probe was some 1,350 lines a second. Each
// failure is a debug line with its details; at warn level the first failure of
// a (scenario, target, reason) is logged at once, and further ones are counted
// and summarised once per interval, one line per key with the count, until an
// interval passes with none. The landing page shows the running counts.
type failureLog struct {
	log *zap.Logger

	mu         sync.Mutex
	suppressed map[failureKey]int // failures not logged yet in this interval
	last       map[failureKey]*FailureStat
}

func newFailureLog(log *zap.Logger) *failureLog {
	return &failureLog{log: log, suppressed: map[failureKey]int{}, last: map[failureKey]*FailureStat{}}
}

// add records one failed probe.
func (f *failureLog) add(r *record.Record, res Result) {
	if ce := f.log.Check(zap.DebugLevel, "probe failed"); ce != nil { // fields built only when logged
		ce.Write(zap.String("scenario", r.Scenario), zap.String("model", r.Model), zap.String("target", r.Target),
			zap.String("phase", string(r.Phase)), zap.String("request_id", r.RequestID),
			zap.String("reason", string(res.Reason)), zap.Int("http_status", r.HTTPStatus),
			zap.String("error", res.Error))
	}
	k := failureKey{r.Scenario, r.Target, res.Reason}
	f.mu.Lock()
	s := f.last[k]
	if s == nil {
		s = &FailureStat{Target: r.Target, Reason: res.Reason}
		f.last[k] = s
	}
	s.Count++
	s.HTTPStatus, s.Error, s.Last = res.HTTPStatus, res.Error, res.Time
	n, seen := f.suppressed[k]
	if seen {
		f.suppressed[k] = n + 1
	} else {
		f.suppressed[k] = 0
	}
	f.mu.Unlock()
	if !seen {
		f.log.Warn("probe failed (repeats are summarised)", keyFields(k,
			zap.Int("http_status", res.HTTPStatus), zap.String("error", res.Error))...)
	}
}

// flush writes one summary line per key with failures not logged yet, over
// the interval that just ended; a key without any is forgotten, so its next
// failure is logged at once again.
func (f *failureLog) flush(interval time.Duration) {
	type line struct {
		k    failureKey
		n    int
		stat FailureStat
	}
	var lines []line
	f.mu.Lock()
	for k, n := range f.suppressed {
		if n == 0 {
			delete(f.suppressed, k)
			continue
		}
		lines = append(lines, line{k, n, *f.last[k]})
		f.suppressed[k] = 0
	}
	f.mu.Unlock()
	sort.Slice(lines, func(i, j int) bool { return keyLess(lines[i].k, lines[j].k) })
	for _, l := range lines {
		f.log.Warn("probes failed", keyFields(l.k, zap.Int("count", l.n), zap.Duration("interval", interval),
			zap.Int("last_http_status", l.stat.HTTPStatus), zap.String("last_error", l.stat.Error))...)
	}
}

// stats lists the failure counts of one scenario, most frequent first.
func (f *failureLog) stats(scenario string) []FailureStat {
	if f == nil {
		return nil
	}
	f.mu.Lock()
	var out []FailureStat
	for k, s := range f.last {
		if k.Scenario == scenario {
			out = append(out, *s)
		}
	}
	f.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Target+string(out[i].Reason) < out[j].Target+string(out[j].Reason)
	})
	return out
}

func keyFields(k failureKey, more ...zap.Field) []zap.Field {
	return append([]zap.Field{zap.String("scenario", k.Scenario), zap.String("target", k.Target),
		zap.String("reason", string(k.Reason))}, more...)
}

func keyLess(a, b failureKey) bool {
	if a.Scenario != b.Scenario {
		return a.Scenario < b.Scenario
	}
	if a.Target != b.Target {
		return a.Target < b.Target
	}
	return a.Reason < b.Reason
}
