package probe_test

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/probe"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// A record handed to the sink is final: the HTTP trace callbacks of its request
// must not write its Phases afterwards. net/http lets a dial outlive the request
// that started it (a timed-out request leaves its dial running for the pool), and
// the dial calls the request's trace hooks on its own goroutine. Here the server
// holds each TLS handshake for 300 ms while requests time out after 50 ms: the
// TLSHandshakeDone hook then writes Phases of a record the sink already read, as
// the collector does. The race detector reports it (run with -race).
func TestTraceDoesNotWriteFinishedRecord(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	defer ln.Close()
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				time.Sleep(300 * time.Millisecond) // then fail the handshake
				c.Close()
			}()
		}
	}()
	cfg := probe.Config{
		Targets:   []probe.Target{{Name: "tls", URL: "https://" + ln.Addr().String() + "/v1/chat/completions"}},
		Streaming: true, Timeout: 50 * time.Millisecond, Concurrency: 2, RequestCount: 4,
	}
	type emitted struct {
		r    *record.Record
		seen record.HTTPPhases
	}
	var recs []emitted
	if err := probe.Run(context.Background(), cfg, chatDataset(true), func(r *record.Record) {
		if r.Reason != record.ReasonTimeout {
			t.Errorf("reason %q, want timeout: %+v", r.Reason, r.Error)
		}
		if r.HTTPPhases != nil {
			recs = append(recs, emitted{r, *r.HTTPPhases}) // as metrics.PhaseDurations reads it
		}
	}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // the abandoned dials finish now
	for _, e := range recs {
		if *e.r.HTTPPhases != e.seen {
			t.Errorf("Phases changed after the record reached the sink: %+v, then %+v", e.seen, *e.r.HTTPPhases)
		}
	}
}
