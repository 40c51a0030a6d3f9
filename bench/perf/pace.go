//go:build linux

package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/aiperf-exporter/aiperf-exporter/probe"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// PaceResult is how closely sends followed a constant-rate schedule.
type PaceResult struct {
	Client     string  `json:"client"`
	TargetRate float64 `json:"target_rate"`
	Requests   int     `json:"requests"`
	Failed     int     `json:"failed"`
	Rate       float64 `json:"achieved_rate"`
	RateErrPct float64 `json:"rate_err_pct"`
	LagP50us   float64 `json:"lag_p50_us"`
	LagP99us   float64 `json:"lag_p99_us"`
	LagMaxus   float64 `json:"lag_max_us"`
	// RoundsP99 is LagP99us of every round (perf all); this result is the median one.
	RoundsP99 []float64 `json:"rounds_lag_p99_us,omitempty"`
}

// runPace sends n requests at a constant rate (non-streaming, instant mock)
// through the engine's pacer, or through a bare reference pacer (barePace),
// and reports the
// achieved rate and dispatch lag (actual send minus intended).
func runPace(args []string) (any, error) {
	fs := flag.NewFlagSet("pace", flag.ContinueOnError)
	url := fs.String("url", "", "mock server base URL")
	rate := fs.Float64("rate", 4000, "requests per second")
	n := fs.Int("n", 20000, "requests")
	client := fs.String("client", "ours", "ours (probe.Run --request-rate) or bare")
	spin := fs.Duration("bare-spin", 50*time.Microsecond, "bare: busy-spin this long before each send after a kernel sleep")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	var starts, intended []int64
	var failed int
	var mu sync.Mutex
	add := func(start, want int64, bad bool) {
		mu.Lock()
		defer mu.Unlock()
		starts, intended = append(starts, start), append(intended, want)
		if bad {
			failed++
		}
	}
	ds := chatDataset(1, false)
	target := *url + "/v1/chat/completions"
	if *client == "bare" {
		barePace(target, ds.Conversations[0].Turns[0].Body.Bytes(), *rate, *n, *spin, add)
	} else {
		cfg := probe.Config{
			Targets:     []probe.Target{{Name: "mock", URL: target}},
			RequestRate: *rate, RequestCount: *n, Timeout: time.Minute,
		}
		if err := probe.Run(context.Background(), cfg, ds, func(r *record.Record) {
			add(r.StartNs, r.IntendedStartNs, r.Error != nil)
		}); err != nil {
			return nil, err
		}
	}
	res := &PaceResult{Client: *client, TargetRate: *rate, Requests: len(starts), Failed: failed}
	lags := make([]time.Duration, len(starts))
	for i := range starts {
		lags[i] = time.Duration(starts[i] - intended[i])
	}
	sortedDurations(lags)
	slices.Sort(starts)
	if len(starts) > 1 {
		res.Rate = float64(len(starts)-1) / (float64(starts[len(starts)-1]-starts[0]) / 1e9)
		res.RateErrPct = 100 * (res.Rate - *rate) / *rate
		if res.RateErrPct < 0 {
			res.RateErrPct = -res.RateErrPct
		}
	}
	res.LagP50us, res.LagP99us = us(quantile(lags, 0.5)), us(quantile(lags, 0.99))
	res.LagMaxus = us(quantile(lags, 1))
	return res, nil
}

// barePace is the reference pacer, the simplest correct precise loop, sharing
// no code with the engine: one goroutine locked to its OS thread, an absolute
// schedule, a kernel sleep (nanosleep) to within spin of each arrival, a busy
// spin for the rest, then one new goroutine per request on a plain net/http
// client, stamped just before client.Do as the engine stamps StartNs.
func barePace(url string, body []byte, rate float64, n int, spin time.Duration, add func(start, want int64, bad bool)) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, DisableCompression: true}}
	gap := time.Duration(float64(time.Second) / rate)
	var wg sync.WaitGroup
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := time.Now()
	for i := 0; i < n; i++ {
		at := start.Add(time.Duration(i) * gap)
		for d := time.Until(at) - spin; d > 0; d = time.Until(at) - spin {
			ts := unix.NsecToTimespec(d.Nanoseconds())
			_ = unix.Nanosleep(&ts, nil)
		}
		for time.Now().Before(at) {
		}
		wg.Add(1)
		go func(want time.Time) {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			start := time.Now()
			resp, err := client.Do(req)
			bad := err != nil
			if err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				bad = resp.StatusCode != http.StatusOK
			}
			add(start.UnixNano(), want.UnixNano(), bad)
		}(at)
	}
	wg.Wait()
}
