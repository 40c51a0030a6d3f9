//go:build linux

package main

import (
	"context"
	"flag"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/probe"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// RawResult is a closed-loop run of non-streaming requests as fast as the
// mock answers; the orchestrator adds the process's CPU time.
type RawResult struct {
	Requests int64   `json:"requests"`
	Failed   int64   `json:"failed"`
	Seconds  float64 `json:"seconds"`
}

// runRaw sends non-streaming requests at concurrency c for d through the
// engine (closed loop), counting answers.
func runRaw(args []string) (any, error) {
	fs := flag.NewFlagSet("raw", flag.ContinueOnError)
	url := fs.String("url", "", "mock server base URL")
	c := fs.Int("c", 32, "concurrent requests")
	d := fs.Duration("d", 8*time.Second, "duration")
	plain := fs.Bool("plain-transport", false, "use a bare http.Transport instead of httpclient.NewDefault (to split engine from transport cost)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	var ok, failed atomic.Int64
	cfg := probe.Config{
		Targets:     []probe.Target{{Name: "mock", URL: *url + "/v1/chat/completions"}},
		Concurrency: *c, Duration: *d, Timeout: time.Minute,
	}
	if *plain {
		cfg.Client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *c, DisableCompression: true}}
	}
	start := time.Now()
	err := probe.Run(context.Background(), cfg, chatDataset(1, false), func(r *record.Record) {
		if r.Error != nil {
			failed.Add(1)
			return
		}
		ok.Add(1)
	})
	if err != nil {
		return nil, err
	}
	return &RawResult{Requests: ok.Load(), Failed: failed.Load(), Seconds: time.Since(start).Seconds()}, nil
}
