package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// progress prints a live line on stderr while a run goes (requests done of
// total, errors, elapsed), only when stderr is a terminal.
type progress struct {
	w              io.Writer
	total          int
	on             bool
	mu             sync.Mutex
	finished, errs int
	began          time.Time
	stopC, doneC   chan struct{}
}

func newProgress(w io.Writer, total int) *progress {
	f, ok := w.(*os.File)
	on := false
	if ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			on = true
		}
	}
	return &progress{w: w, total: total, on: on}
}

func (p *progress) start() {
	p.began = time.Now()
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
