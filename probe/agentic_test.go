package probe

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
)

// traceConv is a conversation whose turns start at the given seconds of its
// recorded timeline.
func traceConv(id string, starts ...float64) *inputs.Conversation {
	c := &inputs.Conversation{ID: id}
	for i, s := range starts {
		t := inputs.Turn{Body: inputs.Body{[]byte(`{"max_completion_tokens":50}`)}, MaxTokens: 50}
		if i > 0 {
			t.Delay = time.Duration((s - starts[i-1]) * float64(time.Second))
		}
		c.Turns = append(c.Turns, t)
	}
	return c
}

func TestTStarWindow(t *testing.T) {
	span := 100 * time.Second
	for _, tc := range []struct {
		name     string
		min, max float64
		lo, hi   time.Duration
	}{
		{"AIPerf's default window", 0.25, 0.75, 25 * time.Second, 75 * time.Second},
		{"whole trace", 0, 1, 0, span},
		{"a point", 0.5, 0.5, 50 * time.Second, 50 * time.Second},
		{"start", 0, 0, 0, 0},
	} {
		for laneNo := range 50 {
			got := tStar(7, "trace", laneNo, tc.min, tc.max, span)
			if got < tc.lo || got > tc.hi {
				t.Fatalf("%s: lane %d: t* %v outside [%v, %v]", tc.name, laneNo, got, tc.lo, tc.hi)
			}
		}
	}
	if tStar(7, "trace", 1, 0, 1, span) != tStar(7, "trace", 1, 0, 1, span) {
		t.Error("the same seed, trace and lane drew two instants")
	}
	if tStar(7, "trace", 1, 0, 1, span) == tStar(7, "trace", 2, 0, 1, span) {
		t.Error("two lanes on one trace drew the same instant")
	}
	if tStar(7, "trace", 1, 0, 1, span) == tStar(8, "trace", 1, 0, 1, span) {
		t.Error("another seed drew the same instant")
	}
}

func TestNewLaneSplitsAtTStar(t *testing.T) {
	c := traceConv("t", 0, 10, 20, 30, 40)
	for _, tc := range []struct {
		name      string
		min, max  float64
		next      int
		lead, gap time.Duration
	}{
		{"t* on a request: it is profiled first", 0.5, 0.5, 2, 10 * time.Second, 0},
		{"t* between requests", 0.625, 0.625, 3, 5 * time.Second, 5 * time.Second},
		{"t* at the start: nothing to prime", 0, 0, 0, 0, 0},
		{"t* at the end: the last request", 1, 1, 4, 10 * time.Second, 0},
	} {
		l := newLane(c, 0, 1, Agentic{MinRatio: tc.min, MaxRatio: tc.max})
		if l.next != tc.next || l.lead != tc.lead || l.gap != tc.gap {
			t.Errorf("%s: next %d lead %v gap %v, want %d %v %v", tc.name, l.next, l.lead, l.gap, tc.next, tc.lead, tc.gap)
		}
	}
	one := newLane(traceConv("single", 0), 0, 1, Agentic{MinRatio: 0.25, MaxRatio: 0.75})
	if one.next != 0 || one.lead != 0 {
		t.Errorf("a one-request trace: next %d lead %v, want it profiled from its start", one.next, one.lead)
	}
}

func TestPhaseStartOffsets(t *testing.T) {
	lanes := []*lane{
		{next: 2, lead: 3 * time.Second, gap: 7 * time.Second},
		{next: 1, lead: 10 * time.Second, gap: 20 * time.Second},
		{next: 4, lead: 1 * time.Second, gap: 12 * time.Second},
	}
	s := time.Second
	for _, tc := range []struct {
		name            string
		a               Agentic
		warmup, profile []time.Duration
	}{
		{"spread: every t* at the warmup's end, gaps kept", Agentic{},
			[]time.Duration{7 * s, 0, 9 * s}, []time.Duration{7 * s, 20 * s, 12 * s}},
		{"burst", Agentic{BurstStarts: true},
			[]time.Duration{0, 0, 0}, []time.Duration{0, 0, 0}},
		{"system idle cap clamps the leads", Agentic{IdleCap: 2 * s, IdleCapSet: true},
			[]time.Duration{0, 0, 1 * s}, []time.Duration{7 * s, 20 * s, 12 * s}},
		{"trace idle cap: one shift for all", Agentic{TraceIdleCap: 5 * s},
			[]time.Duration{2 * s, 0, 4 * s}, []time.Duration{5 * s, 18 * s, 10 * s}},
	} {
		w, p := warmupAt(lanes, tc.a), profilingAt(lanes, tc.a)
		for i := range lanes {
			if w[i] != tc.warmup[i] || p[i] != tc.profile[i] {
				t.Errorf("%s: warmup %v profile %v, want %v %v", tc.name, w, p, tc.warmup, tc.profile)
				break
			}
		}
	}
}

func TestCheckWrap(t *testing.T) {
	on := Agentic{On: true}
	for _, tc := range []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"lanes within the traces", Config{Concurrency: 2, Duration: time.Second, Agentic: on}, true},
		{"more lanes than traces", Config{Concurrency: 3, Duration: time.Second, Agentic: on}, false},
		{"--allow-dataset-wrap", Config{Concurrency: 3, Duration: time.Second, Agentic: Agentic{On: true, AllowWrap: true}}, true},
		{"a cache-bust target", Config{Concurrency: 3, RequestCount: 9, Agentic: Agentic{On: true, CacheBust: true}}, true},
		{"one pass: no bound", Config{Concurrency: 3, Agentic: on}, true},
		{"not agentic", Config{Concurrency: 3, Duration: time.Second}, true},
	} {
		err := checkWrap(tc.cfg, 2)
		if (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
		if err != nil && !strings.Contains(err.Error(), "--allow-dataset-wrap") {
			t.Errorf("%s: %v does not name --allow-dataset-wrap", tc.name, err)
		}
	}
}

func TestOneTokenConversation(t *testing.T) {
	c := &inputs.Conversation{ID: "c", Turns: []inputs.Turn{
		{Body: inputs.Body{[]byte(`{"messages":[],`), []byte(`"max_completion_tokens": 812,"stream":true}`)}, MaxTokens: 812},
		{Body: inputs.Body{[]byte(`{"max_tokens":7}`)}, MaxTokens: 7},
		{Body: inputs.Body{[]byte(`{"input":"x","max_output_tokens":99}`)}, MaxTokens: 99},
	}}
	got := oneTokenConversation(c)
	want := []string{`{"messages":[],"max_completion_tokens": 1,"stream":true}`, `{"max_tokens":1}`, `{"input":"x","max_output_tokens":1}`}
	for i, tu := range got.Turns {
		if s := string(tu.Body.Bytes()); s != want[i] || len(tu.Body) != len(c.Turns[i].Body) || tu.MaxTokens != 1 {
			t.Errorf("turn %d: %s (%d segments, max %d), want %s", i, s, len(tu.Body), tu.MaxTokens, want[i])
		}
	}
	if string(c.Turns[1].Body.Bytes()) != `{"max_tokens":7}` {
		t.Error("the dataset's own turn was changed")
	}
}

func TestIdleShift(t *testing.T) {
	t0 := time.Unix(1000, 0)
	for _, tc := range []struct {
		earliest time.Duration
		limit    time.Duration
		want     time.Duration
	}{
		{100 * time.Second, 10 * time.Second, 90 * time.Second},
		{5 * time.Second, 10 * time.Second, -5 * time.Second},
		{10 * time.Second, 0, 10 * time.Second},
	} {
		if got := idleShift(t0, t0.Add(tc.earliest), tc.limit); got != tc.want {
			t.Errorf("earliest %v limit %v: shift %v, want %v", tc.earliest, tc.limit, got, tc.want)
		}
	}
}

// TestIdleClockMovesPendingSends: with nothing in flight, a send an hour
// away comes within the cap, and one that waits behind a request in flight
// is not moved until the request ends.
func TestIdleClockMovesPendingSends(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	c := newIdleClock(0, true, start)
	at, ok := c.waitUntil(ctx, start.Add(time.Hour))
	if !ok || at.After(start.Add(time.Minute)) {
		t.Fatalf("idle clock kept the send an hour away: %v %v", at.Sub(start), ok)
	}
	// at is in flight now: a second lane's send is not moved while it runs.
	done := make(chan time.Time, 1)
	go func() {
		at2, _ := c.waitUntil(ctx, time.Now().Add(time.Hour))
		done <- at2
	}()
	select {
	case <-done:
		t.Fatal("a send was moved while a request was in flight")
	case <-time.After(50 * time.Millisecond):
	}
	c.end()
	if at2 := <-done; at2.After(time.Now().Add(time.Minute)) {
		t.Fatalf("the send was not moved once idle: %v ahead", time.Until(at2))
	}
	off := newIdleClock(0, false, start)
	short, cancelShort := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancelShort()
	if _, ok := off.waitUntil(short, time.Now().Add(time.Hour)); ok {
		t.Error("without a cap the send an hour away came early")
	}
}
