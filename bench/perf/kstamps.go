package main

import (
	"encoding/json"
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
	md := fs.Bool("md", false, "print the docs/performance.md section instead of JSON")
	from := fs.String("from", "", "print the section of an earlier run's JSON output, measuring nothing")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if *from != "" {
		var old KStampResults
		b, err := os.ReadFile(*from)
		if err == nil {
			err = json.Unmarshal(b, &old)
		}
		if err != nil {
			return nil, fmt.Errorf("-from: %w", err)
		}
		fmt.Print(kstampSection(old.Rows, *hogs))
		return nil, nil
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
		for _, load := range []string{"none added", fmt.Sprintf("%d spinning processes", *hogs)} {
			var stop func()
			if load != "none added" {
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
	out.Markdown = kstampSection(out.Rows, *hogs)
	if *md {
		fmt.Print(out.Markdown)
		return nil, nil
	}
	return out, nil
}

// kstampSection is the docs/performance.md section: the table and, for each
// configuration, the goals against the same run's userspace clients.
func kstampSection(rows []KStampRow, hogs int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n## Kernel receive stamps (perf kstamps)\n\n")
	fmt.Fprintf(&b, "Written %s, %d cores, load average then %s (a shared machine: \"none added\" is its own load).\nRounds alternate ours (kernel stamps), ours-user\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"), runtime.NumCPU(), loadAvg())
	b.WriteString("(`--no-kernel-timestamps`: today's client) and the bare net/http client against one mock process; \"spinning\"\n")
	fmt.Fprintf(&b, "runs add %d processes that spin on the CPU. Error = |client's chunk stamp − mock's send stamp| over every chunk;\n", hogs)
	b.WriteString("each row is the median round by p99. CPU per chunk = the client's CPU time over the compared chunks.\n\n")
	b.WriteString(kstampTable(rows))
	b.WriteString("\n| streams | other load | p99 ours ÷ bare (goal ≤ 0.25) | p50 ours ÷ bare (goal ≤ 1) | CPU per chunk ours ÷ ours-user (goal ≤ 1.25) |\n|---|---|---|---|---|\n")
	by := map[string]map[string]*TruthResult{}
	var keys []string
	for _, r := range rows {
		k := fmt.Sprintf("| %d | %s |", r.Result.Concurrency, r.Load)
		if by[k] == nil {
			by[k] = map[string]*TruthResult{}
			keys = append(keys, k)
		}
		by[k][r.Result.Client] = r.Result
	}
	for _, k := range keys {
		o, u, bare := by[k]["ours"], by[k]["ours-user"], by[k]["bare"]
		if o == nil || u == nil || bare == nil {
			continue
		}
		fmt.Fprintf(&b, "%s %s | %s | %s |\n", k, goal(o.ChunkErrP99us/bare.ChunkErrP99us, 0.25),
			goal(o.ChunkErrP50us/bare.ChunkErrP50us, 1), goal(o.ClientCPUPerChunkus/u.ClientCPUPerChunkus, 1.25))
	}
	return b.String()
}

func goal(ratio, limit float64) string {
	if ratio <= limit {
		return fmt.Sprintf("%.3f met", ratio)
	}
	return fmt.Sprintf("%.3f unmet", ratio)
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
