//go:build linux

package main

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/probe"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// ScaleResult is the client's memory with c streams in flight at once.
type ScaleResult struct {
	Concurrency    int     `json:"concurrency"`
	MaxInFlight    int64   `json:"max_in_flight"`
	Requests       int     `json:"requests"`
	Failed         int     `json:"failed"`
	BaseRSSBytes   int64   `json:"base_rss_bytes"`
	PeakRSSBytes   int64   `json:"peak_rss_bytes"`
	PerStreamBytes float64 `json:"per_stream_bytes"`
	HeapPerStream  float64 `json:"heap_per_stream_bytes"`
	Goroutines     int     `json:"goroutines_at_peak"`
}

// runScale holds c long streams open at once (the mock is configured by the
// orchestrator to stream slowly) and reports the client's resident memory
// growth per stream: peak RSS while all are in flight minus RSS before.
func runScale(args []string) (any, error) {
	fs := flag.NewFlagSet("scale", flag.ContinueOnError)
	url := fs.String("url", "", "mock server base URL")
	c := fs.Int("c", 4096, "concurrent streams")
	tokens := fs.Int("tokens", 8, "tokens per response")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	ds := chatDataset(*tokens, true)
	runtime.GC()
	base, err := rssBytes("self")
	if err != nil {
		return nil, err
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	baseHeap := ms.HeapInuse + ms.StackInuse

	res := &ScaleResult{Concurrency: *c, BaseRSSBytes: base}
	var fl inFlight
	var mu sync.Mutex
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { // sample memory while the streams are open
		defer close(done)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			if fl.now.Load() < int64(*c)*95/100 {
				continue
			}
			rss, err := rssBytes("self")
			if err != nil {
				continue
			}
			mu.Lock()
			if rss > res.PeakRSSBytes {
				res.PeakRSSBytes = rss
				res.Goroutines = runtime.NumGoroutine()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				res.HeapPerStream = float64(int64(ms.HeapInuse+ms.StackInuse)-int64(baseHeap)) / float64(*c)
			}
			mu.Unlock()
		}
	}()
	cfg := probe.Config{
		Targets:   []probe.Target{{Name: "mock", URL: *url + "/v1/chat/completions"}},
		Streaming: true, Concurrency: *c, RequestCount: 2 * *c, Timeout: 2 * time.Minute,
		OnStart: func(*record.Record) { fl.start() },
	}
	err = probe.Run(ctx, cfg, ds, func(r *record.Record) {
		fl.end()
		res.Requests++
		if r.Error != nil {
			res.Failed++
		}
	})
	cancel()
	<-done
	if err != nil {
		return nil, err
	}
	res.MaxInFlight = fl.max.Load()
	if res.PeakRSSBytes == 0 {
		return nil, fmt.Errorf("never reached %d streams in flight (max %d)", *c, res.MaxInFlight)
	}
	res.PerStreamBytes = float64(res.PeakRSSBytes-base) / float64(*c)
	return res, nil
}
