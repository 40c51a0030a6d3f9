//go:build linux

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"net/http"
	"net/http/httptrace"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/probe"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// stamps is what a client saw of one streamed request: its wall-clock start
// and the wall-clock arrival of each token chunk.
type stamps struct {
	id     string
	start  int64
	chunks []int64
	// write is the request write on a reused connection: from the start stamp
	// (taken just before Client.Do) to httptrace's WroteRequest, or to
	// WroteHeaders when WroteRequest came after the first response byte (the
	// probe's rule for its request_written phase, send.go). -1: a new
	// connection, not measured.
	write time.Duration
}

// TruthResult compares client stamps with the mock server's send stamps.
type TruthResult struct {
	Client      string  `json:"client"`
	Concurrency int     `json:"concurrency"`
	Requests    int     `json:"requests"`
	Compared    int     `json:"compared"`
	Chunks      int     `json:"chunks"`
	TTFTp50us   float64 `json:"ttft_err_p50_us"`
	TTFTp99us   float64 `json:"ttft_err_p99_us"`
	ITLp50us    float64 `json:"itl_err_p50_us"`
	ITLp99us    float64 `json:"itl_err_p99_us"`
	WorstP99us  float64 `json:"worst_p99_us"`
	// Signed arrival − send of every chunk: negative means the mock stamped
	// after the client had the bytes (it stamps after write and flush).
	LagP1us  float64 `json:"chunk_lag_p1_us"`
	LagP50us float64 `json:"chunk_lag_p50_us"`
	LagP99us float64 `json:"chunk_lag_p99_us"`
	// Every chunk's |arrival − send| (issue 18's "every-chunk arrival error").
	ChunkErrP50us float64 `json:"chunk_err_p50_us"`
	ChunkErrP99us float64 `json:"chunk_err_p99_us"`
	// ClientCPUPerChunkus is ClientCPUms over the compared chunks (the first
	// request of each stream is not compared, so this is a slight overestimate,
	// the same for every client).
	ClientCPUPerChunkus float64 `json:"client_cpu_per_chunk_us,omitempty"`
	MaxInFlight         int64   `json:"max_in_flight"`
	// The client's threads, while the streams ran (/proc/self/task/*/schedstat):
	// CPU time, time runnable but waiting for a core, and the worst 20 ms of
	// that wait as a share of wall time (summed over threads, so above 1 means
	// more than one thread waiting on average). A high wait with a modest CPU
	// time is a machine short of cores, not a slow client.
	ClientCPUms        float64 `json:"client_cpu_ms,omitempty"`
	RunQueueWaitms     float64 `json:"client_runqueue_wait_ms,omitempty"`
	RunQueueWorstShare float64 `json:"client_runqueue_wait_worst_20ms,omitempty"`
	// Request write on a reused connection (stamps.write): median, p90, p99,
	// mean and how many requests it is over (issue 18 point 4).
	WriteP50us  float64 `json:"reused_write_p50_us,omitempty"`
	WriteP90us  float64 `json:"reused_write_p90_us,omitempty"`
	WriteP99us  float64 `json:"reused_write_p99_us,omitempty"`
	WriteMeanus float64 `json:"reused_write_mean_us,omitempty"`
	Writes      int     `json:"reused_writes,omitempty"`
	// The Go runtime while the streams ran: GC cycles, their stop-the-world
	// pauses and the bytes allocated per request (runtime.MemStats).
	GCCycles        uint32  `json:"gc_cycles,omitempty"`
	GCPausems       float64 `json:"gc_pause_ms,omitempty"`
	AllocPerRequest float64 `json:"alloc_bytes_per_request,omitempty"`
	// RoundsP99 is WorstP99us of every round (perf all); this result is the median one.
	RoundsP99 []float64 `json:"rounds_worst_p99_us,omitempty"`
}

// runTruth streams n requests at concurrency c against the mock, with our
// probe or a bare net/http client, and compares every TTFT and ITL with the
// mock's own send stamps (GET /debug/truth).
func runTruth(args []string) (any, error) {
	fs := flag.NewFlagSet("truth", flag.ContinueOnError)
	url := fs.String("url", "", "mock server base URL")
	c := fs.Int("c", 256, "concurrent streams")
	n := fs.Int("n", 512, "requests")
	tokens := fs.Int("tokens", 32, "tokens per response")
	client := fs.String("client", "ours", "ours (probe, kernel receive stamps where it can), ours-user (probe, --no-kernel-timestamps), ours-plain (probe over a bare http.Transport, as bare's) or bare (net/http + bufio lines)")
	spread := fs.Duration("bare-spread", 100*time.Millisecond, "bare: start the streams evenly over this long (the same window the engine spreads its starts over)")
	dump := fs.String("dump", "", "also write every compared request's start and client/server chunk stamps (ns) to this file, for finding where the errors come from")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	var got []stamps
	var inflight inFlight
	var err error
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	rq := startRunQueue(20 * time.Millisecond)
	switch *client {
	case "ours", "ours-user", "ours-plain":
		got, err = truthOurs(*url, *c, *n, *tokens, *client, &inflight)
	case "bare":
		got, err = truthBare(*url, *c, *n, *tokens, *spread, &inflight)
	default:
		return nil, fmt.Errorf("-client %q: want ours, ours-user, ours-plain or bare", *client)
	}
	rq.end()
	runtime.ReadMemStats(&after)
	if err != nil {
		return nil, err
	}
	res, err := compareTruth(*url, got, *dump)
	if err != nil {
		return nil, err
	}
	res.Client, res.Concurrency, res.MaxInFlight = *client, *c, inflight.max.Load()
	res.GCCycles = after.NumGC - before.NumGC
	res.GCPausems = millis(time.Duration(after.PauseTotalNs - before.PauseTotalNs))
	res.AllocPerRequest = math.Round(float64(after.TotalAlloc-before.TotalAlloc) / float64(*c+*n))
	if rq.ok {
		res.ClientCPUms, res.RunQueueWaitms = millis(rq.totalCPU), millis(rq.totalW)
		res.RunQueueWorstShare = math.Round(rq.worst*100) / 100
		res.ClientCPUPerChunkus = math.Round(res.ClientCPUms*1000/float64(res.Chunks)*10) / 10
	}
	return res, nil
}

// inFlight counts requests in flight and remembers the most at once.
type inFlight struct{ now, max atomic.Int64 }

func (f *inFlight) start() {
	v := f.now.Add(1)
	for m := f.max.Load(); v > m && !f.max.CompareAndSwap(m, v); m = f.max.Load() {
	}
}

func (f *inFlight) end() { f.now.Add(-1) }

// truthOurs runs the probe closed loop for c + n requests and drops each
// worker's first request (connections being set up), exactly as truthBare
// does, so both are compared over the same steady state. (The engine's own
// WarmupCount would restart every stream at once for the profiling phase.)
func truthOurs(base string, c, n, tokens int, client string, fl *inFlight) ([]stamps, error) {
	var mu sync.Mutex
	var recs []*record.Record
	var failed int
	cfg := probe.Config{
		Targets:   []probe.Target{{Name: "mock", URL: base + "/v1/chat/completions"}},
		Streaming: true, Concurrency: c, RequestCount: c + n, Timeout: time.Minute,
		OnStart:        func(*record.Record) { fl.start() },
		NoKernelStamps: client != "ours",
	}
	if client == "ours-plain" { // the transport truthBare uses: 4 KiB buffers, no kernel stamps
		cfg.Client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: c, DisableCompression: true}}
	}
	err := probe.Run(context.Background(), cfg, chatDataset(tokens, true), func(r *record.Record) {
		fl.end()
		mu.Lock()
		defer mu.Unlock()
		if r.Error != nil {
			failed++
			return
		}
		recs = append(recs, r)
	})
	if err == nil && failed > 0 {
		err = fmt.Errorf("%d of %d requests failed", failed, c+n)
	}
	first := map[int]*record.Record{} // each worker's first request
	for _, r := range recs {
		if f, ok := first[r.WorkerID]; !ok || r.StartNs < f.StartNs {
			first[r.WorkerID] = r
		}
	}
	var out []stamps
	for _, r := range recs {
		if first[r.WorkerID] == r {
			continue
		}
		s := stamps{id: r.RequestID, start: r.StartNs, write: -1}
		if p := r.HTTPPhases; p != nil && p.ConnReused {
			s.write = p.RequestWritten
		}
		for _, resp := range r.Responses {
			s.chunks = append(s.chunks, r.StartNs+int64(resp.Offset))
		}
		out = append(out, s)
	}
	return out, err
}

// truthBare is the reference client, the simplest correct one, sharing no
// code with the engine: net/http with a pool sized to the concurrency, one
// goroutine per stream started evenly over spread (the same load shape as the
// engine's: streams of a deterministic server in lock-step would measure the
// load, not the client), a bufio line read, time.Now() and a byte scan per line.
func truthBare(base string, c, n, tokens int, spread time.Duration, fl *inFlight) ([]stamps, error) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: c, DisableCompression: true}}
	body := chatDataset(tokens, true).Conversations[0].Turns[0].Body.Bytes()
	key := []byte(`"content":"`)
	var left atomic.Int64
	left.Store(int64(n))
	var mu sync.Mutex
	var out []stamps
	var firstErr error
	var wg sync.WaitGroup
	step := spread / time.Duration(c)
	for w := 0; w < c; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			time.Sleep(time.Duration(w) * step) // evenly spaced starts, nothing more
			br := bufio.NewReaderSize(nil, 4096)
			// The first request of each stream is warm-up (connections being
			// set up), as the probe's WarmupCount does for ours.
			for k := 0; k == 0 || left.Add(-1) >= 0; k++ {
				s, err := bareStream(client, base, fmt.Sprintf("bare-%d-%d", w, k), body, br, key, fl)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if err == nil && k > 0 {
					out = append(out, s)
				}
				mu.Unlock()
			}
		}(w)
	}
	wg.Wait()
	return out, firstErr
}

func bareStream(client *http.Client, base, id string, body []byte, br *bufio.Reader, key []byte, fl *inFlight) (stamps, error) {
	req, err := http.NewRequest(http.MethodPost, base+"/v1/chat/completions", bytes.NewReader(body))
	if err != nil {
		return stamps{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Request-ID", id)
	var w writeTrace
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), w.hooks()))
	fl.start()
	defer fl.end()
	start := time.Now()
	w.start = start // before Do: the hooks run after it
	resp, err := client.Do(req)
	if err != nil {
		return stamps{}, err
	}
	defer resp.Body.Close()
	s := stamps{id: id, start: start.UnixNano()}
	br.Reset(resp.Body)
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 1 {
			now := time.Now()
			if i := bytes.Index(line, key); i >= 0 && i+len(key) < len(line) && line[i+len(key)] != '"' {
				s.chunks = append(s.chunks, now.UnixNano())
			}
		}
		if err != nil {
			break
		}
	}
	s.write = w.write() // after the whole body: WroteRequest has run
	return s, nil
}

// writeTrace stamps the bare client's request write the way the probe stamps
// its request_written phase (send.go), with the hooks that needs and no more.
// The hooks run on net/http's write and read goroutines, hence the atomics.
type writeTrace struct {
	start                     time.Time // set before Do, which starts the hooks
	reused                    atomic.Bool
	headers, wrote, firstByte atomic.Int64 // ns after start; 0: not yet
}

func (w *writeTrace) since() int64 { return max(int64(time.Since(w.start)), 1) }

func (w *writeTrace) hooks() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		GotConn:              func(i httptrace.GotConnInfo) { w.reused.Store(i.Reused) },
		WroteHeaders:         func() { w.headers.Store(w.since()) },
		GotFirstResponseByte: func() { w.firstByte.Store(w.since()) },
		WroteRequest:         func(httptrace.WroteRequestInfo) { w.wrote.Store(w.since()) },
	}
}

// write is stamps.write: -1 on a new connection.
func (w *writeTrace) write() time.Duration {
	if !w.reused.Load() {
		return -1
	}
	d, fb := w.wrote.Load(), w.firstByte.Load()
	if fb > 0 && (d == 0 || d > fb) {
		d = w.headers.Load()
	}
	return time.Duration(d)
}

// compareTruth fetches the mock's truth for every request and returns the
// absolute errors of TTFT (first chunk arrival vs send) and of each ITL.
func compareTruth(base string, got []stamps, dump string) (*TruthResult, error) {
	var lines bytes.Buffer
	res := &TruthResult{Requests: len(got)}
	var ttft, itl, lag, write []time.Duration
	var mu sync.Mutex
	var wg sync.WaitGroup
	var fetchErr error
	jobs := make(chan stamps)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range jobs {
				chunks, err := fetchTruth(base, s.id)
				mu.Lock()
				switch {
				case err != nil:
					fetchErr = errors.Join(fetchErr, err)
				case len(chunks) == len(s.chunks) && len(chunks) > 0:
					res.Compared++
					res.Chunks += len(chunks)
					if dump != "" {
						fmt.Fprintf(&lines, "%s %d %v %v\n", s.id, s.start, s.chunks, chunks)
					}
					ttft = append(ttft, abs(time.Duration(s.chunks[0]-chunks[0])))
					if s.write >= 0 {
						write = append(write, s.write)
					}
					for i := range chunks {
						lag = append(lag, time.Duration(s.chunks[i]-chunks[i]))
					}
					for i := 1; i < len(chunks); i++ {
						itl = append(itl, abs(time.Duration((s.chunks[i]-s.chunks[i-1])-(chunks[i]-chunks[i-1]))))
					}
				}
				mu.Unlock()
			}
		}()
	}
	for _, s := range got {
		jobs <- s
	}
	close(jobs)
	wg.Wait()
	if fetchErr != nil {
		return nil, fetchErr
	}
	if dump != "" {
		if err := os.WriteFile(dump, lines.Bytes(), 0o644); err != nil {
			return nil, err
		}
	}
	if res.Compared == 0 {
		return nil, fmt.Errorf("no request could be compared with the mock's truth")
	}
	sortedDurations(ttft)
	sortedDurations(itl)
	res.TTFTp50us, res.TTFTp99us = us(quantile(ttft, 0.5)), us(quantile(ttft, 0.99))
	res.ITLp50us, res.ITLp99us = us(quantile(itl, 0.5)), us(quantile(itl, 0.99))
	res.WorstP99us = max(res.TTFTp99us, res.ITLp99us)
	sortedDurations(lag)
	res.LagP1us, res.LagP50us, res.LagP99us = us(quantile(lag, 0.01)), us(quantile(lag, 0.5)), us(quantile(lag, 0.99))
	for i := range lag {
		lag[i] = abs(lag[i])
	}
	sortedDurations(lag)
	res.ChunkErrP50us, res.ChunkErrP99us = us(quantile(lag, 0.5)), us(quantile(lag, 0.99))
	sortedDurations(write)
	res.Writes = len(write)
	res.WriteP50us, res.WriteP90us = roundUs(quantile(write, 0.5)), roundUs(quantile(write, 0.9))
	res.WriteP99us = roundUs(quantile(write, 0.99))
	var sum time.Duration
	for _, d := range write {
		sum += d
	}
	if len(write) > 0 {
		res.WriteMeanus = roundUs(sum / time.Duration(len(write)))
	}
	return res, nil
}

var truthClient = &http.Client{Timeout: 10 * time.Second}

func fetchTruth(base, id string) ([]int64, error) {
	resp, err := truthClient.Get(base + "/debug/truth?request_id=" + id)
	if err != nil {
		return nil, fmt.Errorf("truth of %s: %w", id, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("truth of %s: %s", id, resp.Status)
	}
	var t struct {
		ChunkNs []int64 `json:"chunk_ns"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&t); err != nil {
		return nil, fmt.Errorf("truth of %s: %w", id, err)
	}
	return t.ChunkNs, nil
}

// roundUs is us to a tenth of a microsecond.
func roundUs(d time.Duration) float64 { return math.Round(us(d)*10) / 10 }

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
