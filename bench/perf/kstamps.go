package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync/atomic"
	"time"
)

// Issue 18: kernel receive stamps against the userspace clients, in the same
// run. For each stream count, idle and with other processes spinning on every
// core, rounds alternate the order of three clients: ours (kernel stamps),
// ours-user (the same engine with --no-kernel-timestamps: today's client) and
// bare (net/http + bufio + time.Now()). Each row is the median round by the
// every-chunk p99 error.

// KStampRow is the median run of one client in one configuration.
type KStampRow struct {
	Load   string       `json:"load"`
	Result *TruthResult `json:"result"`
	Rounds []float64    `json:"rounds_chunk_err_p99_us"`
}

// KStampResults are all rows and the markdown table made of them.
type KStampResults struct {
	Rows     []KStampRow `json:"rows"`
	Markdown string      `json:"markdown"`
}

var kstampClients = []string{"ours", "ours-user", "bare"}

func runKStamps(args []string) (any, error) {
	fs := flag.NewFlagSet("kstamps", flag.ContinueOnError)
	ae := fs.String("ae", "", "aiperf-exporter binary (runs the mock server)")
	nRounds := fs.Int("rounds", rounds, "rounds per configuration")
	hogs := fs.Int("hogs", runtime.NumCPU(), "spinning processes for the loaded runs")
	streams := fs.String("c", "256,1024", "stream counts")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	mock, err := startMock(*ae)
	if err != nil {
		return nil, err
	}
	defer mock.stop()
	out := &KStampResults{}
	for _, cs := range strings.Split(*streams, ",") {
		var c int
		if _, err := fmt.Sscan(cs, &c); err != nil {
			return nil, fmt.Errorf("-c %q: %w", cs, err)
		}
		itl := 20 * time.Millisecond // as perf all: 256 streams at 20 ms, more at 80 ms
		if c > 256 {
			itl = 80 * time.Millisecond
		}
		if err := configureMock(mock.url, 50*time.Millisecond, itl, 32); err != nil {
			return nil, err
		}
		for _, load := range []string{"idle", fmt.Sprintf("%d spinning processes", *hogs)} {
			var stop func()
			if load != "idle" {
				stop = startHogs(self, *hogs)
			}
			runs := map[string][]*TruthResult{}
			for round := range *nRounds {
				for k := range kstampClients {
					client := kstampClients[(k+round)%len(kstampClients)]
					fmt.Fprintf(os.Stderr, "perf: kstamps %d streams, %s, %s, round %d\n", c, load, client, round+1)
					var r TruthResult
					if _, err := child(self, &r, "truth", "-url", mock.url, "-c", fmt.Sprint(c), "-n", fmt.Sprint(2*c), "-client", client); err != nil {
						fmt.Fprintf(os.Stderr, "perf: kstamps: %v\n", err)
						continue
					}
					runs[client] = append(runs[client], &r)
				}
			}
			if stop != nil {
				stop()
			}
			for _, client := range kstampClients {
				r := medianRun(runs[client], func(r *TruthResult) float64 { return r.ChunkErrP99us })
				if r == nil {
					continue
				}
				row := KStampRow{Load: load, Result: r}
				for _, x := range runs[client] {
					row.Rounds = append(row.Rounds, x.ChunkErrP99us)
				}
				out.Rows = append(out.Rows, row)
			}
		}
	}
	out.Markdown = kstampTable(out.Rows)
	fmt.Fprint(os.Stderr, out.Markdown)
	return out, nil
}

func kstampTable(rows []KStampRow) string {
	var b strings.Builder
	b.WriteString("| streams | other load | client | every-chunk error p50 | p99 (rounds) | signed lag p1/p50/p99 | client CPU per chunk | run-queue wait |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		t := r.Result
		fmt.Fprintf(&b, "| %d | %s | %s | %.0f µs | %.0f µs (%s) | %.0f / %.0f / %.0f µs | %.1f µs | %.0f ms |\n",
			t.Concurrency, r.Load, t.Client, t.ChunkErrP50us, t.ChunkErrP99us, roundsText(r.Rounds, 0),
			t.LagP1us, t.LagP50us, t.LagP99us, t.ClientCPUPerChunkus, t.RunQueueWaitms)
	}
	return b.String()
}

// startHogs starts n processes spinning on the CPU; stop kills them.
func startHogs(self string, n int) (stop func()) {
	var cmds []*exec.Cmd
	for range n {
		cmd := exec.Command(self, "hog", "-d", "10m")
		if cmd.Start() == nil {
			cmds = append(cmds, cmd)
		}
	}
	return func() {
		for _, cmd := range cmds {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}
}

// runHog spins one core for -d (a bound, in case it outlives its parent).
func runHog(args []string) (any, error) {
	fs := flag.NewFlagSet("hog", flag.ContinueOnError)
	d := fs.Duration("d", time.Minute, "how long to spin")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	runtime.GOMAXPROCS(1)
	var x atomic.Int64
	for end := time.Now().Add(*d); time.Now().Before(end); {
		x.Add(1)
	}
	return nil, nil
}
