package probe

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
)

// Agentic is AIPerf's agentic replay, the timing mode its locked scenarios
// (--scenario) set: --concurrency lanes, each replaying a trace from an
// instant t* drawn inside it. The warmup primes each lane with the trace's
// last request before t*; profiling resumes at the first request at or after
// t*, and a lane whose trace ends starts the next trace from its first turn.
type Agentic struct {
	On bool
	// MinRatio and MaxRatio bound t* as fractions of each trace's recorded
	// span (--trajectory-start-min-ratio, --trajectory-start-max-ratio).
	MinRatio, MaxRatio float64
	// AllowWrap lets more lanes than traces share traces
	// (--allow-dataset-wrap); a --cache-bust marker allows it too.
	AllowWrap bool
	// CacheBust: the dataset carries cache-bust markers (--cache-bust).
	CacheBust bool
	// BurstStarts sends each phase's first requests together instead of
	// spread by their recorded offsets from t* (--burst-phase-starts).
	BurstStarts bool
	// IdleCap, when IdleCapSet, bounds the time no request is in flight
	// during profiling: pending sends move earlier together
	// (--system-idle-gap-cap-seconds).
	IdleCap    time.Duration
	IdleCapSet bool
	// TraceIdleCap bounds the wait before a lane's first profiling request,
	// as the trace's own gaps are (--trace-idle-gap-cap-seconds); 0: none.
	TraceIdleCap time.Duration
	// CacheWarmup continues the lanes after the priming requests for this
	// long, without recorded delays and with one-token answers
	// (--agentic-cache-warmup-duration); 0: none.
	CacheWarmup time.Duration
	// WarmupGrace, when WarmupGraceSet, cancels priming requests still
	// running this long after the warmup's last send
	// (--agentic-warmup-grace-period); unset: they are waited for.
	WarmupGrace    time.Duration
	WarmupGraceSet bool
}

// lane is one agentic replay lane: a play of a conversation, its position and
// the timing of its next send.
type lane struct {
	conv    *inputs.Conversation
	next    int           // the turn profiling sends first
	lead    time.Duration // how long before t* the warmup turn (next-1) was sent
	gap     time.Duration // how long after t* turn next is sent
	session int64
	digest  string    // the play's cache-bust digest, kept across phases
	ended   time.Time // when the lane's last request ended (cache warmup handoff)
}

// offsets are a conversation's turn start times on its recorded timeline:
// the sum of the delays before each turn (a Weka trace's gaps between
// request starts, capped as the dataset was built).
func offsets(c *inputs.Conversation) []time.Duration {
	out := make([]time.Duration, len(c.Turns))
	for i := 1; i < len(c.Turns); i++ {
		out[i] = out[i-1] + c.Turns[i].Delay
	}
	return out
}

// tStar draws a lane's instant on a trace spanning span, uniform in
// [min, max] of it. The draw is seeded by the run seed, the trace id and the
// lane, as AIPerf salts it, so lanes sharing a trace start at different points.
func tStar(seed int64, id string, laneNo int, minRatio, maxRatio float64, span time.Duration) time.Duration {
	lo := time.Duration(minRatio * float64(span))
	hi := time.Duration(maxRatio * float64(span))
	if hi <= lo {
		return lo
	}
	h := sha256.Sum256(fmt.Appendf(nil, "%d:%s:%d", seed, id, laneNo))
	r := rand.New(rand.NewPCG(binary.BigEndian.Uint64(h[:8]), binary.BigEndian.Uint64(h[8:16])))
	return lo + time.Duration(r.Float64()*float64(hi-lo))
}

// newLane places lane laneNo on conversation c at its drawn t*: the first
// turn at or after t* is profiled first, the one before it primes the warmup.
func newLane(c *inputs.Conversation, laneNo int, seed int64, a Agentic) *lane {
	off := offsets(c)
	t := tStar(seed, c.ID, laneNo, a.MinRatio, a.MaxRatio, off[len(off)-1])
	l := &lane{conv: c}
	for l.next < len(off)-1 && off[l.next] < t {
		l.next++
	}
	l.gap = off[l.next] - t
	if l.next > 0 {
		l.lead = t - off[l.next-1]
	}
	return l
}

// checkWrap refuses more lanes than distinct traces unless wrapping is
// allowed (--allow-dataset-wrap or a --cache-bust marker) or the run is one
// pass (no request count and no duration), as AIPerf's
// validate_dataset_wrap_policy.
func checkWrap(cfg Config, traces int) error {
	a := cfg.Agentic
	lanes := max(cfg.Concurrency, 1)
	if !a.On || a.AllowWrap || a.CacheBust || lanes <= traces {
		return nil
	}
	if cfg.RequestCount == 0 && cfg.Duration == 0 {
		return nil
	}
	return fmt.Errorf("--concurrency %d exceeds the %d distinct loaded traces while dataset wrapping is disabled; reduce --concurrency to at most %d, enable a --cache-bust target, or set --allow-dataset-wrap", lanes, traces, traces)
}

// warmupAt is when a lane's priming request is sent, after the warmup's
// start: spread so every lane reaches its t* together at the end of the
// spread (the longest lead), or all at once with --burst-phase-starts. Leads
// are clamped to the system idle cap, as AIPerf does, so priming does not
// start hours early.
func warmupAt(lanes []*lane, a Agentic) []time.Duration {
	leads := make([]time.Duration, len(lanes))
	longest := time.Duration(0)
	for i, l := range lanes {
		leads[i] = l.lead
		if a.IdleCapSet {
			leads[i] = min(leads[i], a.IdleCap)
		}
		if a.TraceIdleCap > 0 {
			leads[i] = min(leads[i], a.TraceIdleCap)
		}
		longest = max(longest, leads[i])
	}
	out := make([]time.Duration, len(lanes))
	for i := range lanes {
		if !a.BurstStarts {
			out[i] = longest - leads[i]
		}
	}
	return out
}

// profilingAt is when each lane's first profiling request is sent after the
// phase's start: its recorded gap after t*, all moved earlier together so
// the earliest waits at most the trace idle cap (AIPerf's leading idle
// shift, which keeps the lanes' spacing); 0 with --burst-phase-starts.
func profilingAt(lanes []*lane, a Agentic) []time.Duration {
	out := make([]time.Duration, len(lanes))
	if a.BurstStarts || len(lanes) == 0 {
		return out
	}
	earliest := lanes[0].gap
	for _, l := range lanes {
		earliest = min(earliest, l.gap)
	}
	shift := time.Duration(0)
	if a.TraceIdleCap > 0 && earliest > a.TraceIdleCap {
		shift = earliest - a.TraceIdleCap
	}
	for i, l := range lanes {
		out[i] = l.gap - shift
	}
	return out
}
