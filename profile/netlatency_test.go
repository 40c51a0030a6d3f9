package profile

import (
	"testing"
	"time"
)

// The --network-latency-* flags: AIPerf's exclusive pair, an interval only
// for probing, each bad value refused naming its flag.
func TestPlanNetLatency(t *testing.T) {
	cases := []struct {
		args     []string
		bad      string // the flag named, "" for none
		off      bool
		interval time.Duration
	}{
		{nil, "", true, 0},
		{[]string{"--network-latency-automatic"}, "", false, time.Second},
		{[]string{"--network-latency-automatic", "--network-latency-ping-interval", "0.25"}, "", false, 250 * time.Millisecond},
		{[]string{"--network-latency-mean", "2.5"}, "", false, time.Second},
		{[]string{"--network-latency-mean", "2", "--network-latency-automatic"}, "network-latency-mean", false, 0},
		{[]string{"--network-latency-ping-interval", "2"}, "network-latency-ping-interval", false, 0},
		{[]string{"--network-latency-mean", "NaN"}, "network-latency-mean", false, 0},
	}
	for _, c := range cases {
		n, err := planNetLatency(parsedProfile(t, c.args...))
		switch {
		case c.bad != "":
			if !namesFlag(err, c.bad) {
				t.Errorf("%v: got %v, want an error naming --%s", c.args, err, c.bad)
			}
		case err != nil:
			t.Errorf("%v: %v", c.args, err)
		case (n == nil) != c.off:
			t.Errorf("%v: plan %+v, want off %v", c.args, n, c.off)
		case n != nil && n.interval != c.interval:
			t.Errorf("%v: interval %v, want %v", c.args, n.interval, c.interval)
		}
	}
}
