package daemon

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/mocktest"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// Round robin over a live and a dead target: the live one's successes do not
// reset the dead one's run of failures, the dead one is paused alone (skipped,
// the sink not held), and only when every target is paused is the scenario held.
func TestBackoffPausesADeadTargetAlone(t *testing.T) {
	b := newBackoff(time.Hour, time.Hour, 4, nil)
	b.targets = 2
	at := int64(100)
	rec := func(target string, ok bool) *record.Record {
		at++
		r := &record.Record{Target: target, StartNs: at}
		if ok {
			r.Responses = []record.Response{{Kind: record.Content}}
		} else {
			r.Reason, r.Error = record.ReasonConnection, &record.Error{Message: "connection refused"}
		}
		return r
	}
	steps := []struct {
		target    string
		ok        bool
		wantPause bool
		wantAlone bool
	}{
		{"dead", false, false, false},
		{"live", true, false, false}, // a success elsewhere does not reset dead's run
		{"dead", false, true, true},  // second refusal in a row: dead alone
	}
	for i, s := range steps {
		wait, alone := b.observe(rec(s.target, s.ok))
		if (wait > 0) != s.wantPause || alone != s.wantAlone {
			t.Fatalf("step %d (%s ok=%v): pause %v alone %v, want pause %v alone %v", i, s.target, s.ok, wait, alone, s.wantPause, s.wantAlone)
		}
	}
	if !b.skip("dead") || b.skip("live") {
		t.Fatalf("skip dead %v, live %v: want only dead skipped", b.skip("dead"), b.skip("live"))
	}
	// In-flight requests to dead sent before its pause ends are stale.
	if wait, _ := b.observe(rec("dead", false)); wait != 0 {
		t.Errorf("a stale failure of the paused target paused again for %v", wait)
	}
	// Now live fails too: with every target down, the scenario is held.
	b.observe(rec("live", false))
	if wait, alone := b.observe(rec("live", false)); wait == 0 || alone {
		t.Errorf("last live target down: pause %v alone %v, want a pause that holds the scenario", wait, alone)
	}
}

// A daemon probing a live mock and a refused port in turn pauses the dead
// target alone: its pauses are counted under its own target label, the live
// target is never paused and keeps answering.
func TestDaemonPausesDeadTargetAlone(t *testing.T) {
	mock := mocktest.Start(t, mockserver.Config{TTFT: time.Millisecond, ITL: time.Millisecond, OutputTokens: 2, Seed: 1})
	o, s := daemonOptions(t, "live="+mock.URL)
	o.URLs = append(o.URLs, "dead=http://"+testkit.FreeAddr(t))
	a, stop := startAppBackoff(t, o, s, 200*time.Millisecond, 400*time.Millisecond)
	defer stop()
	pauses := func(target string) float64 {
		return a.metric(t, "aiperf_probe_pauses_total", `target="`+target+`"`)
	}
	success := func() float64 { return a.metric(t, "aiperf_requests_total", `target="live"`, `outcome="success"`) }
	eventually(t, 30*time.Second, 20*time.Millisecond, "pauses of the dead target", func() bool { return pauses("dead") >= 3 })
	before := success()
	eventually(t, 30*time.Second, 20*time.Millisecond, "more live successes", func() bool { return success() >= before+50 })
	if n := pauses("live"); n != 0 {
		t.Errorf("the live target was paused %v times", n)
	}
	if logs := a.logs.String(); !strings.Contains(logs, "pausing this target's probes") {
		t.Errorf("no pause of the dead target alone in the logs:\n%.3000s", logs)
	}
}

// A pause taken alone ends when its time is up, or when the scenario stops:
// its length is reported either way and no timer outlives the scenario.
func TestBackoffAlonePauseEnds(t *testing.T) {
	ended := make(chan time.Duration, 2)
	b := newBackoff(time.Hour, time.Hour, 1, nil)
	b.targets = 2
	b.resumed = func(_ *record.Record, d time.Duration) { ended <- d }
	for i := range unreachableAfter {
		b.after(context.Background(), &record.Record{Target: "dead", StartNs: int64(i + 1),
			Reason: record.ReasonConnection, Error: &record.Error{}})
	}
	if !b.skip("dead") {
		t.Fatal("dead is not paused")
	}
	select {
	case d := <-ended:
		t.Fatalf("the hour-long pause ended after %v before stop", d)
	default:
	}
	b.stop()
	select {
	case d := <-ended:
		if d <= 0 || d >= time.Hour {
			t.Errorf("pause reported as %v, want the time until stop", d)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("stop did not end the pause")
	}
	b.stop() // nothing left: no second report
	if len(ended) != 0 {
		t.Error("a pause was reported twice")
	}
}
