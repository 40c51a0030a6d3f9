//go:build linux

package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
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
	// WriteRounds and WriteMeanRounds are every round's reused-connection
	// request write p50 and mean, indexed by round (0: that round failed), so
	// clients pair by round.
	WriteRounds     []float64 `json:"rounds_reused_write_p50_us,omitempty"`
	WriteMeanRounds []float64 `json:"rounds_reused_write_mean_us,omitempty"`
	// The machine's load average (1, 5, 15 min) when the configuration
	// started and ended: "none added" is only the load this run added.
	LoadAvgStart string `json:"loadavg_start,omitempty"`
	LoadAvgEnd   string `json:"loadavg_end,omitempty"`
}

// KStampResults are all rows and the markdown table made of them.
type KStampResults struct {
	Started  time.Time   `json:"started,omitzero"`
	Ended    time.Time   `json:"ended,omitzero"`
	Rows     []KStampRow `json:"rows"`
	Markdown string      `json:"markdown"`
}

var kstampClients = []string{"ours", "ours-user", "bare"}

// kstampAll are the clients perf truth knows, in the order tables list them:
// ours-plain (the engine over a bare http.Transport, userspace stamps) is
// for finding what costs what (-clients).
var kstampAll = []string{"ours", "ours-user", "ours-plain", "bare"}

func runKStamps(args []string) (any, error) {
	fs := flag.NewFlagSet("kstamps", flag.ContinueOnError)
	ae := fs.String("ae", "", "aiperf-exporter binary (runs the mock server)")
	nRounds := fs.Int("rounds", rounds, "rounds per configuration")
	hogs := fs.Int("hogs", runtime.NumCPU(), "spinning processes for the loaded runs (0: no loaded runs)")
	streams := fs.String("c", "256,1024", "stream counts")
	clients := fs.String("clients", strings.Join(kstampClients, ","), "clients, alternating (of "+strings.Join(kstampAll, ", ")+")")
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
		if old.Ended.IsZero() { // an older run's JSON: only the file says when
			if fi, err := os.Stat(*from); err == nil {
				old.Ended = fi.ModTime()
			}
		}
		fmt.Print(kstampSection(&old, *hogs))
		return nil, nil
	}
	mock, err := startMock(*ae)
	if err != nil {
		return nil, err
	}
	defer mock.stop()
	self := mock.self
	kstampClients = strings.Split(*clients, ",")
	out := &KStampResults{Started: time.Now().UTC()}
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
		loads := []string{"none added"}
		if *hogs > 0 {
			loads = append(loads, fmt.Sprintf("%d spinning processes", *hogs))
		}
		for _, load := range loads {
			loadStart := loadAvg()
			var stop func()
			if load != "none added" {
				stop = startHogs(self, *hogs)
			}
			runs := map[string][]*TruthResult{}
			writes, means := map[string][]float64{}, map[string][]float64{}
			for round := range *nRounds {
				for _, client := range kstampClients {
					writes[client] = append(writes[client], 0)
					means[client] = append(means[client], 0)
				}
				for k := range kstampClients {
					client := kstampClients[(k+round)%len(kstampClients)]
					fmt.Fprintf(os.Stderr, "perf: kstamps %d streams, %s, %s, round %d\n", c, load, client, round+1)
					var r TruthResult
					if _, err := child(self, &r, "truth", "-url", mock.url, "-c", fmt.Sprint(c), "-n", fmt.Sprint(2*c), "-client", client); err != nil {
						fmt.Fprintf(os.Stderr, "perf: kstamps: %v\n", err)
						continue
					}
					runs[client] = append(runs[client], &r)
					writes[client][round], means[client][round] = r.WriteP50us, r.WriteMeanus
				}
			}
			if stop != nil {
				stop()
			}
			loadEnd := loadAvg()
			for _, client := range kstampClients {
				r := medianRun(runs[client], func(r *TruthResult) float64 { return r.ChunkErrP99us })
				if r == nil {
					continue
				}
				row := KStampRow{Load: load, Result: r, WriteRounds: writes[client], WriteMeanRounds: means[client], LoadAvgStart: loadStart, LoadAvgEnd: loadEnd}
				for _, x := range runs[client] {
					row.Rounds = append(row.Rounds, x.ChunkErrP99us)
				}
				out.Rows = append(out.Rows, row)
			}
		}
	}
	out.Ended = time.Now().UTC()
	out.Markdown = kstampSection(out, *hogs)
	if *md {
		fmt.Print(out.Markdown)
		return nil, nil
	}
	return out, nil
}

// kstampSection is the docs/performance.md section: the table and, for each
// configuration, the goals against the same run's userspace clients.
func kstampSection(res *KStampResults, hogs int) string {
	rows := res.Rows
	var b strings.Builder
	fmt.Fprintf(&b, "\n## Kernel receive stamps (perf kstamps)\n\n")
	fmt.Fprintf(&b, "%s, %d cores (a shared machine: \"none added\" is its own load; %s).\nRounds alternate ours (kernel stamps), ours-user\n",
		kstampWhen(res), runtime.NumCPU(), kstampLoads(rows))
	b.WriteString("(`--no-kernel-timestamps`: today's client) and the bare net/http client against one mock process; \"spinning\"\n")
	fmt.Fprintf(&b, "runs add %d processes that spin on the CPU. Error = |client's chunk stamp − mock's send stamp| over every chunk;\n", hogs)
	b.WriteString("each row is the median round by p99. CPU per chunk = the client's CPU time over the compared chunks.\n\n")
	b.WriteString(kstampTable(rows))
	b.WriteString("\n| streams | other load | p99 ours ÷ bare (goal ≤ 0.25) | p50 ours ÷ bare (goal ≤ 1) | CPU per chunk ours ÷ ours-user (goal ≤ 1.25) |\n|---|---|---|---|---|\n")
	by, keys := kstampConfigs(rows)
	for _, k := range keys {
		o, u, bare := by[k]["ours"], by[k]["ours-user"], by[k]["bare"]
		if o == nil || u == nil || bare == nil {
			continue
		}
		fmt.Fprintf(&b, "%s %s | %s | %s |\n", k, goal(o.Result.ChunkErrP99us/bare.Result.ChunkErrP99us, 0.25),
			goal(o.Result.ChunkErrP50us/bare.Result.ChunkErrP50us, 1), goal(o.Result.ClientCPUPerChunkus/u.Result.ClientCPUPerChunkus, 1.25))
	}
	b.WriteString(kstampWrites(rows))
	return b.String()
}

// kstampConfigs groups rows by configuration ("| streams | load |"), in order.
func kstampConfigs(rows []KStampRow) (map[string]map[string]*KStampRow, []string) {
	by := map[string]map[string]*KStampRow{}
	var keys []string
	for i, r := range rows {
		k := fmt.Sprintf("| %d | %s |", r.Result.Concurrency, r.Load)
		if by[k] == nil {
			by[k] = map[string]*KStampRow{}
			keys = append(keys, k)
		}
		by[k][r.Result.Client] = &rows[i]
	}
	return by, keys
}

// kstampWhen says when the run was, as far as its JSON tells.
func kstampWhen(res *KStampResults) string {
	const f = "2006-01-02 15:04 UTC"
	switch {
	case !res.Started.IsZero():
		return fmt.Sprintf("Run %s – %s", res.Started.UTC().Format(f), res.Ended.UTC().Format("15:04 UTC"))
	case !res.Ended.IsZero():
		return "Run ending " + res.Ended.UTC().Format(f)
	}
	return "Run of unrecorded date"
}

// kstampLoads is the load average at each configuration's start and end.
func kstampLoads(rows []KStampRow) string {
	var parts []string
	seen := map[string]bool{}
	for _, r := range rows {
		k := fmt.Sprintf("%d streams, %s", r.Result.Concurrency, r.Load)
		if seen[k] || r.LoadAvgStart == "" {
			continue
		}
		seen[k] = true
		parts = append(parts, fmt.Sprintf("%s: %s → %s", k, r.LoadAvgStart, r.LoadAvgEnd))
	}
	if len(parts) == 0 {
		return "load average not recorded in this run's JSON"
	}
	return "load average 1/5/15 min at each configuration's start → end: " + strings.Join(parts, "; ")
}

// kstampWrites is the table of issue 18 point 4: the request write on a
// reused connection, each client's median over the rounds of its p50 and of
// its mean, and each client ÷ bare paired by round (empty for a run that did
// not measure it).
func kstampWrites(rows []KStampRow) string {
	by, keys := kstampConfigs(rows)
	var b strings.Builder
	var lastHead string
	for _, k := range keys {
		bare := by[k]["bare"]
		if bare == nil || len(bare.WriteRounds) == 0 {
			continue
		}
		var cs []*KStampRow // the others, in kstampClients' order, then bare
		var names []string
		for _, c := range kstampAll {
			if r := by[k][c]; r != nil && c != "bare" {
				cs, names = append(cs, r), append(names, c)
			}
		}
		cs, names = append(cs, bare), append(names, "bare")
		head := "| streams | other load | stat | " + strings.Join(names, " | ")
		for _, n := range names[:len(names)-1] {
			head += " | " + n + " ÷ bare"
		}
		head += " |\n|---|---|---" + strings.Repeat("|---", 2*len(names)-1) + "|\n"
		if b.Len() == 0 {
			b.WriteString("\nRequest write on a reused connection (start stamp → `WroteRequest`), each round's p50 and mean; a cell is\n")
			b.WriteString("the median over rounds (the rounds), a ratio the median over rounds of the two clients' values in that round:\n")
		}
		if head != lastHead { // the same clients: one table
			b.WriteString("\n" + head)
			lastHead = head
		}
		for _, st := range []struct {
			name string
			of   func(*KStampRow) []float64
		}{{"p50", func(r *KStampRow) []float64 { return r.WriteRounds }}, {"mean", func(r *KStampRow) []float64 { return r.WriteMeanRounds }}} {
			fmt.Fprintf(&b, "%s %s |", k, st.name)
			for _, r := range cs {
				fmt.Fprintf(&b, " %.1f µs (%s) |", medianOf(st.of(r)), roundsText(st.of(r), 1))
			}
			for _, r := range cs[:len(cs)-1] {
				fmt.Fprintf(&b, " %.3f |", pairedRatio(st.of(r), st.of(bare)))
			}
			b.WriteString("\n")
		}
		if bare.Result.AllocPerRequest > 0 { // the Go runtime in the median round (by chunk p99)
			fmt.Fprintf(&b, "%s GC cycles / pause, median round |", k)
			for _, r := range cs {
				fmt.Fprintf(&b, " %d / %.1f ms |", r.Result.GCCycles, r.Result.GCPausems)
			}
			fmt.Fprintf(&b, "%s\n%s bytes allocated per request |", strings.Repeat(" |", len(cs)-1), k)
			for _, r := range cs {
				fmt.Fprintf(&b, " %.0f |", r.Result.AllocPerRequest)
			}
			for _, r := range cs[:len(cs)-1] {
				fmt.Fprintf(&b, " %.2f |", r.Result.AllocPerRequest/bare.Result.AllocPerRequest)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// medianOf is the median of the non-zero values (0: a failed round).
func medianOf(v []float64) float64 {
	var x []float64
	for _, f := range v {
		if f > 0 {
			x = append(x, f)
		}
	}
	if len(x) == 0 {
		return 0
	}
	slices.Sort(x)
	if len(x)%2 == 1 {
		return x[len(x)/2]
	}
	return (x[len(x)/2-1] + x[len(x)/2]) / 2
}

// pairedRatio is the median over rounds of a[i] ÷ b[i], both measured.
func pairedRatio(a, b []float64) float64 {
	var r []float64
	for i := range min(len(a), len(b)) {
		if a[i] > 0 && b[i] > 0 {
			r = append(r, a[i]/b[i])
		}
	}
	return medianOf(r)
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
