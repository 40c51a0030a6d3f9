package servermetrics

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Endpoint kinds: an inference server's metrics or dcgm-exporter's GPU telemetry.
const (
	KindServer = "server"
	KindGPU    = "gpu"
)

// Target is one Prometheus endpoint to scrape.
type Target struct {
	URL  string
	Kind string
	// Name is how warnings and the Result show the endpoint (say, the URL
	// without credentials); the URL when empty.
	Name string
}

// Config sets up a Collector.
type Config struct {
	Targets  []Target
	Interval time.Duration // between scrapes during the run
	Timeout  time.Duration // per scrape; a slow one makes the periodic ones skip ticks
	Client   *http.Client  // nil: a plain client with a pool of its own
	// UserAgent is sent with every scrape, so servers can tell them apart.
	UserAgent string
	// Settle is waited before the final scrape when some endpoint answered,
	// so requests the client saw end are counted by servers that update
	// their metrics a moment after the last byte (AIPerf waits 2 s).
	Settle time.Duration
	// Warn is told once per endpoint, at its first failed scrape; calls
	// are serialised.
	Warn func(msg string)
	// Slice, when above 0, is --slice-duration: the run is cut into slices
	// on the wall clock's multiples of it (as the client's timeslices), and
	// scrapes fall on the multiples of Step(Interval, Slice), so every slice
	// edge has a scrape (Result.Slice).
	Slice time.Duration
}

// Step is the time between scrapes with slices: the slice divided by the
// smallest whole number that keeps scrapes no further apart than interval;
// the slice itself when the interval exceeds it.
func Step(interval, slice time.Duration) time.Duration {
	n := (slice + interval - 1) / interval
	return max(slice/max(n, 1), 1)
}

// Collector scrapes its targets from Start until Stop: once at the start (the
// baseline every delta is taken from), every Interval, and once at the end.
type Collector struct {
	cfg    Config
	start  time.Time
	eps    []*endpoint
	stop   context.CancelFunc
	wg     sync.WaitGroup
	warnMu sync.Mutex

	rebase     chan struct{} // closed by Rebase
	rebaseOnce sync.Once
}

// Start takes the baseline scrape of every target and starts the periodic
// scrapes. It never fails: an unreachable endpoint is warned about and the
// run goes on.
func Start(cfg Config) *Collector {
	if cfg.Client == nil {
		cfg.Client = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	if cfg.Interval <= 0 {
		cfg.Interval = time.Second
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.Warn == nil {
		cfg.Warn = func(string) {}
	}
	ctx, stop := context.WithCancel(context.Background())
	c := &Collector{cfg: cfg, start: time.Now(), stop: stop, rebase: make(chan struct{})}
	for _, t := range cfg.Targets {
		e := newEndpoint(t.URL, t.Kind)
		e.sliceNs = int64(cfg.Slice)
		e.name = t.Name
		if e.name == "" {
			e.name = t.URL
		}
		c.eps = append(c.eps, e)
	}
	c.scrapeAll(context.Background())
	for _, e := range c.eps {
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			rebase := c.rebase
			for {
				t := time.NewTimer(c.untilNext(time.Now()))
				select {
				case <-ctx.Done():
					t.Stop()
					return
				case <-rebase:
					t.Stop()
					rebase, e.rebase = nil, true
					c.scrape(context.Background(), e) // Stop waits for it: the window's start is not to be lost
				case <-t.C:
					c.scrape(ctx, e)
				}
			}
		}()
	}
	return c
}

// Rebase starts the window anew: each endpoint is scraped at once, and its
// first successful scrape from now on is the baseline the window's increases
// and gauge samples start from (profile calls it when the warmup is over).
// It does not wait for the scrapes.
func (c *Collector) Rebase() {
	c.rebaseOnce.Do(func() { close(c.rebase) })
}

// untilNext is how long from now to the next periodic scrape: every Interval
// from Start, or with slices every Step from each slice's start on the wall
// clock, the next slice's start included. A scrape slower than the step
// skips the ticks it overran.
func (c *Collector) untilNext(now time.Time) time.Duration {
	if c.cfg.Slice <= 0 {
		step := c.cfg.Interval
		return c.start.Add((now.Sub(c.start)/step + 1) * step).Sub(now)
	}
	d, step := int64(c.cfg.Slice), int64(Step(c.cfg.Interval, c.cfg.Slice))
	ns := now.UnixNano()
	base := floorDiv(ns, d) * d
	next := base + ((ns-base)/step+1)*step
	if next > base+d-step/2 { // the step's rounding must not leave a scrape just short of the edge
		next = base + d
	}
	return time.Duration(next - ns)
}

// Stop ends the periodic scrapes, takes the final scrape and returns what
// the window adds up to. Call it once.
func (c *Collector) Stop() *Result {
	c.stop()
	c.wg.Wait()
	select {
	case <-c.rebase: // stopped before an endpoint could take its new baseline: the final scrape is it
		for _, e := range c.eps {
			if e.windowStart.IsZero() {
				e.rebase = true
			}
		}
	default:
	}
	if c.cfg.Settle > 0 && slices.ContainsFunc(c.eps, func(e *endpoint) bool { return !e.first.IsZero() }) {
		time.Sleep(c.cfg.Settle)
	}
	c.scrapeAll(context.Background())
	c.cfg.Client.CloseIdleConnections() // nothing of ours outlives the run
	res := result(c.start, time.Now(), c.eps)
	res.slice = c.cfg.Slice
	return res
}

// scrapeAll scrapes every endpoint at once and waits for them.
func (c *Collector) scrapeAll(ctx context.Context) {
	var wg sync.WaitGroup
	for _, e := range c.eps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.scrape(ctx, e)
		}()
	}
	wg.Wait()
}

func (c *Collector) scrape(ctx context.Context, e *endpoint) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	snap, err := Scrape(ctx, c.cfg.Client, e.url, c.cfg.UserAgent)
	if err != nil {
		if ctx.Err() != nil && ctx.Err() != context.DeadlineExceeded {
			return // stopped mid-scrape: not the endpoint's fault
		}
		if e.fail(err) {
			c.warnMu.Lock()
			defer c.warnMu.Unlock()
			c.cfg.Warn(fmt.Sprintf("%s metrics %s: %v (the run goes on; the server-metrics export lists what is missing)", e.kind, e.name, err))
		}
		return
	}
	e.add(snap)
}
