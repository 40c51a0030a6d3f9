package probe

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/common/version"

	"github.com/aiperf-exporter/aiperf-exporter/httpclient"
	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/record"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// userAgent is built on first use: main fills version.Version from the build
// info after package initialisation.
var userAgent = sync.OnceValue(func() string { return "aiperf-exporter/" + version.Version })

// engine runs one configuration over one dataset.
type engine struct {
	cfg    Config
	ds     *inputs.Dataset
	client *http.Client
	sink   func(*record.Record)
	sinkMu sync.Mutex

	targets   atomic.Uint64
	rngMu     sync.Mutex
	rng       *rand.Rand
	order     []int // conversation order, shuffled once
	next      int
	sessions  atomic.Int64
	workers   sync.Pool
	workerIDs atomic.Int64
	fixed     *fixedPlan // the fixed schedule, when configured
	runID     string     // random per run, in every cache-bust digest (cachebust.go)

	reply replyShape // where the endpoint type's answer sits, set once by Run

	// prefill is the running phase's --prefill-concurrency gate (nil: none),
	// set by phase before its first request; phases never overlap.
	prefill *prefillGate

	// lanes are the agentic replay's lanes (agentic.go), placed by its warmup.
	lanes []*lane
}

// Check reports, before a run, what would stop Run at once: an empty dataset,
// no target, or a fixed schedule with nothing to send. Run does the same checks.
func Check(cfg Config, ds *inputs.Dataset) error {
	_, err := plan(cfg, ds)
	return err
}

// plan checks cfg and ds and returns the fixed schedule when there is one.
func plan(cfg Config, ds *inputs.Dataset) (*fixedPlan, error) {
	if ds == nil || len(ds.Conversations) == 0 {
		return nil, errors.New("the dataset is empty")
	}
	if len(cfg.Targets) == 0 {
		return nil, errors.New("no target URL")
	}
	if cfg.Agentic.On {
		return nil, checkWrap(cfg, len(ds.Conversations))
	}
	if !cfg.FixedSchedule && (!ds.FixedSchedule || cfg.NoFixedSchedule || cfg.IgnoreTraceDelays) {
		return nil, nil
	}
	return fixedSchedule(ds, cfg.Schedule)
}

// Run sends requests from ds on cfg's schedule and calls sink once per finished
// request, warmup included (marked). Calls to sink are serialised. With no request
// count and no duration it runs until ctx is cancelled. Ending ctx stops
// scheduling; requests in flight run on cfg.RequestContext when it is set (and
// are then waited for), else they are cancelled with ctx. Run returns once every
// started request has reached sink.
//
// A dataset with timestamps (a trace) is sent on its fixed schedule even
// without cfg.FixedSchedule, as AIPerf does, unless cfg.NoFixedSchedule or
// cfg.IgnoreTraceDelays (which also skips the turns' delays).
func Run(ctx context.Context, cfg Config, ds *inputs.Dataset, sink func(*record.Record)) error {
	fixed, err := plan(cfg, ds)
	if err != nil {
		return err
	}
	cfg.FixedSchedule = fixed != nil
	if cfg.Concurrency < 1 && cfg.RequestRate <= 0 && len(cfg.RateSeries) == 0 && cfg.Users.Rate <= 0 && !cfg.FixedSchedule {
		cfg.Concurrency = 1
	}
	if cfg.Counter == nil {
		cfg.Counter = tokens.Words{}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 600 * time.Second
	}
	reqBase := cfg.RequestContext
	if reqBase == nil {
		reqBase = ctx
	}
	if cfg.NoKernelStamps { // read by the dialer of each new connection
		reqBase = httpclient.WithoutKernelStamps(reqBase)
	}
	e := &engine{cfg: cfg, ds: ds, client: cfg.Client, sink: sink, reply: replyShapeOf(cfg.EndpointType),
		rng: rand.New(rand.NewPCG(uint64(cfg.Seed), 0x61697065))}
	if e.client == nil {
		e.client = httpclient.NewDefault(max(cfg.Concurrency, 64))
	}
	if e.cfg.budget == nil {
		e.cfg.budget = responseBudget
	}
	if cfg.ResponseBudget > 0 {
		e.cfg.budget.setLimit(cfg.ResponseBudget)
	}
	e.order = e.firstOrder(len(ds.Conversations))
	e.workers.New = func() any { return newWorker(int(e.workerIDs.Add(1) - 1)) }
	e.fixed = fixed
	e.runID = newRunID()

	if err := waitReady(ctx, e.client, cfg.Header, cfg.Targets, cfg.Ready); err != nil {
		if ctx.Err() != nil {
			return nil // interrupted while waiting: nothing was sent
		}
		return err
	}
	if cfg.Agentic.On {
		if err := e.agenticWarmup(ctx, reqBase); err != nil {
			return err
		}
		if ctx.Err() != nil {
			return nil
		}
	} else if cfg.WarmupCount > 0 || cfg.WarmupDuration > 0 || cfg.WarmupSessions > 0 {
		e.warmup(ctx, reqBase)
		if ctx.Err() != nil {
			return nil
		}
	}
	if !waitStart(ctx, cfg.StartAt, cfg.Logf) {
		return nil // interrupted while waiting: nothing was sent
	}
	var credits credits
	var deadline time.Time
	switch {
	case cfg.Duration > 0:
		deadline = time.Now().Add(cfg.Duration)
		credits = newDeadlineCredits(deadline)
	case cfg.RequestCount > 0 && cfg.BurstInterval == 0:
		credits = newCountCredits(cfg.RequestCount)
	default:
		credits = unlimited{}
	}
	if cfg.OnProfiling != nil {
		cfg.OnProfiling()
	}
	e.phase(ctx, reqBase, record.PhaseProfiling, credits, deadline, e.cfg.profilingLoad())
	return nil
}

// warmup runs the warmup phase at its own load (Config.Warmup):
// WarmupCount requests, WarmupSessions conversations or for WarmupDuration,
// whichever ends first. Its
// requests in flight at the end finish, as AIPerf waits for them when no
// warmup grace period is given; with one, those still running that long after
// the warmup's last send are cancelled.
func (e *engine) warmup(ctx, reqCtx context.Context) {
	var cr credits = unlimited{}
	var count *countCredits
	if e.cfg.WarmupCount > 0 {
		count = newCountCredits(e.cfg.WarmupCount)
		cr = count
	}
	var sessions *countCredits
	if e.cfg.WarmupSessions > 0 {
		sc := newSessionCredits(e.cfg.WarmupSessions)
		sessions = sc.countCredits
		cr = bothCredits{sc, cr}
	}
	var end time.Time
	if e.cfg.WarmupDuration > 0 {
		end = time.Now().Add(e.cfg.WarmupDuration)
		cr = bothCredits{newDeadlineCredits(end), cr}
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, end) // stops scheduling only: requests run on reqCtx
		defer cancel()
	}
	if e.cfg.Warmup.GraceSet {
		var sent, stop func()
		reqCtx, sent, stop = graceAfter(reqCtx, e.cfg.Warmup.Grace)
		defer stop()
		for _, c := range []*countCredits{count, sessions} {
			if c != nil {
				c.onLast = sent
			}
		}
		if !end.IsZero() {
			t := time.AfterFunc(time.Until(end), sent)
			defer t.Stop()
		}
	}
	e.phase(ctx, reqCtx, record.PhaseWarmup, cr, time.Time{}, e.cfg.warmupLoad())
}

// phase runs one phase to completion with the configured load shape. With a
// deadline (--benchmark-duration) nothing is sent after it; requests still in
// flight at deadline + Grace are cancelled and, like any request that ended
// after that point, marked LateForDuration so every report drops them (AIPerf's --benchmark-grace-period).
func (e *engine) phase(ctx, reqCtx context.Context, phase record.Phase, cr credits, deadline time.Time, l load) {
	var late atomic.Bool
	var graceEnd int64
	if !deadline.IsZero() {
		var cancelSched context.CancelFunc
		ctx, cancelSched = context.WithDeadline(ctx, deadline)
		defer cancelSched()
	}
	if !deadline.IsZero() && e.cfg.Grace != NoGraceLimit { // else every request in flight finishes and counts
		var cancelReq context.CancelFunc
		reqCtx, cancelReq = context.WithCancel(reqCtx)
		defer cancelReq()
		end := deadline.Add(e.cfg.Grace)
		graceEnd = end.UnixNano()
		stop := time.AfterFunc(time.Until(end), func() { late.Store(true); cancelReq() })
		defer stop.Stop()
	}
	emit := func(r *record.Record) {
		r.Phase = phase
		if graceEnd != 0 && r.StartNs != 0 {
			ended := r.StartNs + int64(r.EndOffset)
			if ended > graceEnd || (late.Load() && r.Cancelled) {
				r.LateForDuration = true
			}
		}
		e.emit(r)
	}
	gateCtx, stopGate := context.WithCancel(ctx) // ends the gate's ramp with the phase
	defer stopGate()
	e.prefill = newPrefillGate(gateCtx, l.prefill)
	switch {
	case e.cfg.Agentic.On && phase == record.PhaseProfiling:
		e.runAgentic(ctx, reqCtx, cr, emit)
	case e.cfg.FixedSchedule && phase == record.PhaseProfiling:
		e.runFixed(ctx, reqCtx, emit)
	case l.users.Rate > 0:
		e.runUsers(ctx, reqCtx, cr, l, emit)
	case l.rate > 0:
		e.runRate(ctx, reqCtx, cr, l, emit)
	case e.cfg.BurstInterval > 0 && phase == record.PhaseProfiling:
		e.runBursts(ctx, reqCtx, l, emit)
	default:
		e.runClosed(ctx, reqCtx, cr, time.Time{}, l, emit)
	}
}

func (e *engine) emit(r *record.Record) {
	e.sinkMu.Lock()
	defer e.sinkMu.Unlock()
	e.sink(r)
}

func (e *engine) nextTarget() Target {
	t := e.cfg.Targets
	n := uint64(len(t))
	turn := e.targets.Add(1) - 1
	if e.cfg.Skip == nil {
		return t[int(turn%n)]
	}
	for k := range n { // a skipped target passes its turn on to the next
		if c := t[int((turn+k)%n)]; !e.cfg.Skip(c.Name) {
			e.targets.Add(k)
			return c
		}
	}
	return t[int(turn%n)]
}

// nextConversation takes the next conversation by cfg.Sampling (sampling.go).
func (e *engine) nextConversation() *inputs.Conversation {
	e.rngMu.Lock()
	defer e.rngMu.Unlock()
	return &e.ds.Conversations[e.nextIndex()]
}

// cancelDelay decides whether this request is one to cancel: -1 means no.
func (e *engine) cancelDelay() time.Duration {
	if e.cfg.CancelRate <= 0 {
		return -1
	}
	e.rngMu.Lock()
	defer e.rngMu.Unlock()
	if e.rng.Float64() < e.cfg.CancelRate {
		return e.cfg.CancelDelay
	}
	return -1
}

// conversation sends the turns of one conversation in order, each later turn
// taking a credit and honouring its delay (or, on a fixed schedule, its own
// timestamp). first is the first turn's schedule. Requests run on reqCtx;
// later turns are scheduled only while ctx lasts.
func (e *engine) conversation(ctx, reqCtx context.Context, w *worker, c *inputs.Conversation, cr credits, first arrival, emit func(*record.Record)) {
	session := e.sessions.Add(1) - 1
	intended, slotWait := first.at, first.slotWait
	digest := "" // this play's cache-bust digest, made at its first marked turn
	done := conversationDone(cr)
	defer done()
	for i := range c.Turns {
		turn := &c.Turns[i]
		if i > 0 {
			if ctx.Err() != nil || !takeLater(cr) {
				return
			}
			if at, ok := e.fixed.turnAt(turn); ok {
				if !waitUntil(ctx, at) {
					return
				}
				intended = at
			} else {
				if !e.cfg.IgnoreTraceDelays && !sleepCtx(ctx, turn.Delay) {
					return
				}
				intended = time.Now()
			}
			slotWait = 0
		}
		last := i == len(c.Turns)-1
		if last {
			done() // its last send starts now: the warmup's grace may start with it
		}
		if !e.sendTurn(ctx, reqCtx, w, c, i, session, &digest, arrival{at: intended, slotWait: slotWait}, last, emit) || reqCtx.Err() != nil {
			return
		}
	}
}

// sendTurn sends turn i of c, one of session's, meant to start at a, and
// emits its record; last closes a sticky connection after it. digest is the
// play's cache-bust digest, made at its first marked turn. Under a
// --prefill-concurrency limit it first waits for a prefill slot (the wait
// counts as slot wait); false when ctx ended meanwhile and nothing was sent.
func (e *engine) sendTurn(ctx, reqCtx context.Context, w *worker, c *inputs.Conversation, i int, session int64, digest *string, a arrival, last bool, emit func(*record.Record)) bool {
	if g := e.prefill; g != nil {
		waited, ok := g.acquire(ctx)
		if !ok {
			return false
		}
		w.st.prefill = prefillSlot{g: g, held: true}
		defer w.st.prefill.release() // a request that ended without a first token
		a.slotWait += waited
	}
	rec := &record.Record{
		ConversationID: c.ID, TurnIndex: i, SessionNum: int(session),
		CorrelationID: c.ID, IntendedStartNs: a.at.UnixNano(), SlotWait: a.slotWait,
	}
	turn := &c.Turns[i]
	if turn.Bust != nil {
		if *digest == "" {
			*digest = e.bustDigest(session, c.ID)
		}
		turn = marked(turn, *digest)
	}
	e.send(reqCtx, w, turn, rec, e.cancelDelay(), e.closeAfter(last))
	maskSecrets(rec, e.cfg.secrets) // server text may echo a credential back
	emit(rec)
	return true
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
