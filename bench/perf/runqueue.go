//go:build linux

package main

import (
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// runQueue samples this process's scheduler statistics (the sum over its
// threads of /proc/self/task/*/schedstat: time on a CPU and time runnable but
// waiting for one) every interval, to tell a client that is slow from a client
// that is ready but given no core by a busy machine. Linux only; elsewhere it
// reports nothing.
type runQueue struct {
	interval time.Duration
	stop     chan struct{}
	done     sync.WaitGroup
	// worst is the largest wait in one interval, as a share of the interval
	// (summed over threads, so it can exceed 1); total* are over the whole run.
	worst            float64
	totalCPU, totalW time.Duration
	ok               bool
}

func startRunQueue(interval time.Duration) *runQueue {
	q := &runQueue{interval: interval, stop: make(chan struct{})}
	cpu0, wait0, ok := schedstat()
	if !ok {
		return q
	}
	q.done.Add(1)
	go func() {
		defer q.done.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		prevW, prevT := wait0, time.Now()
		for {
			select {
			case <-q.stop:
				cpu, wait, _ := schedstat()
				q.totalCPU, q.totalW, q.ok = cpu-cpu0, wait-wait0, true
				return
			case now := <-t.C:
				_, wait, ok := schedstat()
				if !ok {
					continue
				}
				if share := float64(wait-prevW) / float64(now.Sub(prevT)); share > q.worst {
					q.worst = share
				}
				prevW, prevT = wait, now
			}
		}
	}()
	return q
}

// end stops sampling; the fields are final afterwards.
func (q *runQueue) end() {
	close(q.stop)
	q.done.Wait()
}

// schedstat sums the on-CPU and run-queue wait times of every thread of this process.
func schedstat() (cpu, wait time.Duration, ok bool) {
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return 0, 0, false
	}
	for _, t := range tasks {
		b, err := os.ReadFile("/proc/self/task/" + t.Name() + "/schedstat")
		if err != nil {
			continue // the thread exited
		}
		f := strings.Fields(string(b))
		if len(f) < 2 {
			continue
		}
		c, err1 := strconv.ParseInt(f[0], 10, 64)
		w, err2 := strconv.ParseInt(f[1], 10, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		cpu += time.Duration(c)
		wait += time.Duration(w)
		ok = true
	}
	return cpu, wait, ok
}

// millis is d in milliseconds, to 0.1 ms.
func millis(d time.Duration) float64 { return math.Round(float64(d)/float64(time.Millisecond)*10) / 10 }
