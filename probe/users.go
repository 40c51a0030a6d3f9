package probe

import (
	"container/heap"
	"context"
	"math"
	"sync"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// Users is AIPerf's user-centric rate (--user-centric-rate, --num-users):
// Count users share Rate requests per second, each sending its turns
// Count/Rate seconds apart, so that the users together keep the rate.
// Zero Rate: off.
type Users struct {
	Rate  float64
	Count int
}

// startUser is one user present when the phase starts: it sends turns of its
// conversation (0: all of them) from order·stagger on.
type startUser struct{ turns, order int }

// initialUsers are the users of a user-centric phase's start, as AIPerf
// places them: a steady state in which n users are spread over the session's
// lifetime (sessionTurns−1 gaps), each with the turns it has left and a start
// order that staggers them; the oldest has none left and is replaced by a
// fresh user with all its turns, who starts first.
func initialUsers(n, sessionTurns int) []startUser {
	life := max(1, sessionTurns-1)
	step := 0 // when n and life share a factor, ages collide: spread by a step coprime with n
	if gcd(n, life) > 1 {
		step = 1
		for k := 2; k < n; k++ {
			if gcd(n, k) == 1 {
				step = k
				break
			}
		}
	}
	var out []startUser
	for i := 0; i < n; i++ {
		age := (n - i) * life
		turns := life - age/n
		if turns <= 0 {
			continue
		}
		slot := age % n
		if step > 0 {
			slot = i * step % n
		}
		out = append(out, startUser{turns: turns, order: n - slot})
	}
	return append(out, startUser{turns: 0, order: 0})
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// sessionTurns is the dataset's mean turns per conversation, rounded, at least 1.
func sessionTurns(ds *inputs.Dataset) int {
	total := 0
	for i := range ds.Conversations {
		total += len(ds.Conversations[i].Turns)
	}
	return max(1, int(math.Round(float64(total)/float64(len(ds.Conversations)))))
}

// spawnTimes is a min-heap of the times new users join.
type spawnTimes []time.Time

func (s spawnTimes) Len() int           { return len(s) }
func (s spawnTimes) Less(i, j int) bool { return s[i].Before(s[j]) }
func (s spawnTimes) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }
func (s *spawnTimes) Push(x any)        { *s = append(*s, x.(time.Time)) }
func (s *spawnTimes) Pop() any {
	old := *s
	t := old[len(old)-1]
	*s = old[:len(old)-1]
	return t
}

// runUsers runs a user-centric phase (AIPerf's user_centric_rate timing):
// the initial users start 1/Rate apart; each sends its next turn Count/Rate
// after the last one was meant to go, or as soon as that one ended when it
// ended later; a new user joins whenever a user's planned last turn is due
// (its join time plus its turns × the gap), an absolute schedule that does
// not wait for the server. With --concurrency, at most that many users are
// sending at once (ramped by --concurrency-ramp-duration), and a new user
// waits for a free slot before the next can join, as AIPerf's spawn loop
// does. Turn delays of the dataset are not used: the gap is.
func (e *engine) runUsers(ctx, reqCtx context.Context, cr credits, l load, emit func(*record.Record)) {
	u := l.users
	stagger := time.Duration(float64(time.Second) / u.Rate)
	gap := time.Duration(float64(time.Second) * float64(u.Count) / u.Rate)
	var wg sync.WaitGroup
	defer wg.Wait()
	// spent ends the waits for a user's start, slot or next turn, or for the
	// next user, once a turn finds the credits gone; a turn that has its
	// credit is still sent (its prefill slot is waited for on ctx).
	waitCtx, spent := context.WithCancel(ctx)
	defer spent()
	start := time.Now()
	var slots chan struct{}
	if l.concurrency > 0 {
		slots = make(chan struct{}, l.concurrency)
		if l.ramps.Concurrency > 0 {
			e.rampSlots(waitCtx, slots, start, l.ramps.Concurrency, &wg)
		}
	}
	spawns := &spawnTimes{}
	join := func(s userStart) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.user(ctx, waitCtx, reqCtx, s, gap, slots, cr, spent, emit)
		}()
		heap.Push(spawns, s.at.Add(time.Duration(s.turns)*gap))
	}
	for _, s := range initialUsers(u.Count, sessionTurns(e.ds)) {
		c := e.nextConversation()
		turns := len(c.Turns)
		if s.turns > 0 {
			turns = min(s.turns, turns)
		}
		join(userStart{c: c, turns: turns, at: start.Add(time.Duration(s.order) * stagger)})
	}
	for waitCtx.Err() == nil {
		s := userStart{at: heap.Pop(spawns).(time.Time)}
		if !waitUntil(waitCtx, s.at) {
			return
		}
		if slots != nil {
			waited, ok := takeSlot(waitCtx, slots)
			if !ok {
				return
			}
			s.held, s.slotWait = true, waited
		}
		s.c = e.nextConversation()
		s.turns = len(s.c.Turns)
		join(s)
	}
}

// userStart is a user joining: its conversation, the turns it sends, when
// it starts, and whether it already holds a --concurrency slot (and waited
// that long for it).
type userStart struct {
	c        *inputs.Conversation
	turns    int
	at       time.Time
	held     bool
	slotWait time.Duration
}

// takeSlot waits for a --concurrency slot and returns how long it waited
// (0 when one was free); ok is false when ctx ended first.
func takeSlot(ctx context.Context, slots chan struct{}) (waited time.Duration, ok bool) {
	select {
	case slots <- struct{}{}:
		return 0, true
	default:
	}
	begin := time.Now()
	select {
	case slots <- struct{}{}:
		return time.Since(begin), true
	case <-ctx.Done():
		return 0, false
	}
}

// user sends the first s.turns turns of s.c, one every gap from s.at
// (realigned to the end of a turn that ended late), holding a --concurrency
// slot throughout when there are slots; it takes a credit per turn and calls
// spent when it finds none. Its waits end with waitCtx.
func (e *engine) user(ctx, waitCtx, reqCtx context.Context, s userStart, gap time.Duration, slots chan struct{}, cr credits, spent func(), emit func(*record.Record)) {
	if slots != nil && s.held {
		defer func() { <-slots }()
	}
	if !waitUntil(waitCtx, s.at) {
		return
	}
	if slots != nil && !s.held {
		waited, ok := takeSlot(waitCtx, slots)
		if !ok {
			return
		}
		defer func() { <-slots }()
		s.slotWait = waited
	}
	if !cr.take() {
		spent()
		return
	}
	w := e.workers.Get().(*worker)
	defer e.workers.Put(w)
	session := e.sessions.Add(1) - 1
	at, slotWait := s.at, s.slotWait
	digest := "" // this play's cache-bust digest
	for i := range s.turns {
		if i > 0 {
			at = at.Add(gap)
			if now := time.Now(); now.After(at) {
				at = now // late: the next turn goes at once, as AIPerf realigns
			}
			if !waitUntil(waitCtx, at) {
				return
			}
			if !takeLater(cr) {
				spent()
				return
			}
			slotWait = 0
		}
		if !e.sendTurn(ctx, reqCtx, w, s.c, i, session, &digest, arrival{at: at, slotWait: slotWait}, i == s.turns-1, emit) || reqCtx.Err() != nil {
			return
		}
	}
}
