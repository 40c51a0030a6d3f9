package servermetrics_test

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/mocktest"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/servermetrics"
)

// TestServerQuantilesMatchTheMock scrapes the mock while it serves, then
// checks the server-side figures against what the mock really did (its
// truth stamps): counts, sums and bucket increases exactly, and every bucket
// estimate inside the bucket that holds the true quantile.
func TestServerQuantilesMatchTheMock(t *testing.T) {
	m := mocktest.Start(t, mockserver.Config{TTFT: 15 * time.Millisecond, ITL: 2 * time.Millisecond, OutputTokens: 6})
	c := servermetrics.Start(servermetrics.Config{Targets: []servermetrics.Target{{URL: m.URL + "/metrics", Kind: servermetrics.KindServer}},
		Interval: 20 * time.Millisecond})
	const n, workers = 40, 4
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				send(t, m.URL, fmt.Sprintf("q%d", i))
			}
		}()
	}
	wg.Wait()
	// The mock counts a request a moment after its last byte; its truth is
	// stored once it is counted.
	for i := 0; i < n; i++ {
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
			if _, ok := m.Server.Truth(fmt.Sprintf("q%d", i)); ok || time.Now().After(deadline) {
				break
			}
		}
	}
	res := c.Stop()

	var ttft, e2e []float64
	for i := 0; i < n; i++ {
		tr, ok := m.Server.Truth(fmt.Sprintf("q%d", i))
		if !ok {
			t.Fatalf("no truth for q%d", i)
		}
		ttft = append(ttft, float64(tr.ChunkNs[0]-tr.ArrivalNs)/1e9)
		e2e = append(e2e, float64(tr.ChunkNs[len(tr.ChunkNs)-1]-tr.ArrivalNs)/1e9)
	}
	for _, c := range []struct {
		role  servermetrics.Role
		truth []float64
	}{{servermetrics.TTFT, ttft}, {servermetrics.E2E, e2e}} {
		_, h, ok := res.Histogram(c.role)
		if !ok {
			t.Fatalf("%s: not scraped", c.role.Title)
		}
		sum := 0.0
		for _, v := range c.truth {
			sum += v
		}
		if h.Count != n || math.Abs(h.Sum-sum) > 1e-6 {
			t.Errorf("%s: count %v sum %v, the mock did %d requests summing %v", c.role.Title, h.Count, h.Sum, n, sum)
		}
		// Each bucket's increase is exactly how many requests were at or below its bound.
		for _, b := range h.Buckets {
			want := 0
			for _, v := range c.truth {
				if v <= b.Le {
					want++
				}
			}
			if b.Count != float64(want) {
				t.Errorf("%s: bucket le=%v grew by %v, the mock did %d requests at or below it", c.role.Title, b.Le, b.Count, want)
			}
		}
		sorted := append([]float64(nil), c.truth...)
		sort.Float64s(sorted)
		for _, p := range servermetrics.Percentiles {
			// The observation at rank ⌈q·n⌉ lies in the bucket PromQL interpolates in.
			true_ := sorted[int(math.Ceil(float64(p)/100*n))-1]
			lo, hi := bucketAround(h.Buckets, true_)
			if est := h.Estimate(p); est < lo || est > hi {
				t.Errorf("%s p%d: estimate %v outside the bucket (%v, %v] of the true %v", c.role.Title, p, est, lo, hi, true_)
			}
		}
	}
}

// bucketAround returns the bounds (lo, hi] of the bucket holding v.
func bucketAround(bs []servermetrics.Bucket, v float64) (float64, float64) {
	lo := 0.0
	for _, b := range bs {
		if v <= b.Le {
			if math.IsInf(b.Le, 1) {
				return lo, lo // PromQL answers the highest finite bound
			}
			return lo, b.Le
		}
		lo = b.Le
	}
	return lo, lo
}

func send(t *testing.T, base, id string) {
	body := []byte(`{"model":"m","stream":true,"messages":[{"role":"user","content":"one two three"}]}`)
	req, err := http.NewRequest(http.MethodPost, base+"/v1/chat/completions", bytes.NewReader(body))
	if err != nil {
		t.Error(err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Request-ID", id)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
}
