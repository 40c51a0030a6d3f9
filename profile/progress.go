package profile

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/term"
)

// progress prints a live line on stderr while a run goes (requests done of
// total, errors, elapsed), only when stderr is a terminal.
type progress struct {
	w              io.Writer
	total          int
	on             bool
	mu             sync.Mutex
	finished, errs int
	profiling      bool // the warmup (if any) is over
	ended          bool // the run is over
	began          time.Time
	stopC, doneC   chan struct{}
}

// newProgress returns the progress line of a run of total requests (0 when
// unknown); it stays silent unless w is a terminal (/dev/null and files are not).
func newProgress(w io.Writer, total int) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, total: total, on: ok && term.IsTerminal(f)}
}

func (p *progress) start() {
	p.mu.Lock()
	p.began = time.Now()
	p.mu.Unlock()
	if !p.on {
		return
	}
	p.stopC, p.doneC = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(p.doneC)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.stopC:
				p.print()
				fmt.Fprintln(p.w)
				return
			case <-t.C:
				p.print()
			}
		}
	}()
}

func (p *progress) done(ok bool) {
	p.mu.Lock()
	p.finished++
	if !ok {
		p.errs++
	}
	p.mu.Unlock()
}

// snapshot is the progress so far, for the API server too.
func (p *progress) snapshot() (finished, errs int, profiling, ended bool, began time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.finished, p.errs, p.profiling, p.ended, p.began
}

// setPhase records that the profiling phase has begun or the run has ended.
func (p *progress) setPhase(profiling, ended bool) {
	p.mu.Lock()
	p.profiling, p.ended = p.profiling || profiling, p.ended || ended
	p.mu.Unlock()
}

func (p *progress) print() {
	p.mu.Lock()
	n, e := p.finished, p.errs
	p.mu.Unlock()
	total := "?"
	if p.total > 0 {
		total = fmt.Sprint(p.total)
	}
	fmt.Fprintf(p.w, "\rrequests %d/%s  errors %d  elapsed %.1fs ", n, total, e, time.Since(p.began).Seconds())
}

func (p *progress) stop() {
	if p.on {
		close(p.stopC)
		<-p.doneC
	}
}
