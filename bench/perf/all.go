//go:build linux

package main

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// Results is everything one `perf all` run measured.
type Results struct {
	Machine Machine          `json:"machine"`
	Truth   []*TruthResult   `json:"truth"`
	Scale   *ScaleResult     `json:"scale"`
	Pace    []*PaceResult    `json:"pace"`
	Raw     []RawCompare     `json:"raw"`
	Scrape  *ScrapeResult    `json:"scrape"`
	Daemon  *DaemonResult    `json:"daemon"`
	GoBench map[string]Bench `json:"go_bench"`
	Took    float64          `json:"took_seconds"`
	Errors  []string         `json:"errors,omitempty"`
	// Reruns are the parts measured again alone (`perf all -only`) since the
	// full run Machine describes.
	Reruns []Rerun `json:"reruns,omitempty"`
}

// Rerun is one part measured again alone, with when and under what load.
type Rerun struct {
	Part      string `json:"part"`
	Date      string `json:"date"`
	LoadStart string `json:"load_start"`
	LoadEnd   string `json:"load_end"`
}

// RawCompare is one side-by-side round of our engine and vegeta.
type RawCompare struct {
	Client     string  `json:"client"`
	Requests   int64   `json:"requests"`
	Rate       float64 `json:"rate"`
	CPUPerReq  float64 `json:"cpu_us_per_request"`
	CPUSeconds float64 `json:"cpu_seconds"`
}

func runAll(args []string) (any, error) {
	fs := flag.NewFlagSet("all", flag.ContinueOnError)
	ae := fs.String("ae", "", "aiperf-exporter binary")
	vegeta := fs.String("vegeta", "", "vegeta binary")
	gobench := fs.String("gobench", "", "go test -bench output for the hot-path rows")
	out := fs.String("out", "docs/performance.md", "report to (re)write")
	jsonOut := fs.String("json", "", "also write the raw results here")
	only := fs.String("only", "", "measure only this part (scrape), keeping the other results of -out")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if *only != "" {
		return nil, rerun(*only, *out)
	}
	t0 := time.Now()
	res := &Results{Machine: describeMachine()}
	fail := func(what string, err error) {
		if err != nil {
			res.Errors = append(res.Errors, what+": "+err.Error())
			fmt.Fprintf(os.Stderr, "perf: %s: %v\n", what, err)
		}
	}
	mock, err := startMock(*ae)
	if err != nil {
		return nil, err
	}
	defer mock.stop()
	url, self := mock.url, mock.self

	step := func(name string) { fmt.Fprintf(os.Stderr, "perf: %s (%.0fs)\n", name, time.Since(t0).Seconds()) }

	// 1. Timing truth: ours and the bare client, at 256 and 1024 streams.
	for _, tc := range []struct {
		c   int
		itl time.Duration
	}{{256, 20 * time.Millisecond}, {1024, 80 * time.Millisecond}} {
		fail("configure mock", configureMock(url, 50*time.Millisecond, tc.itl, 32))
		runs := map[string][]*TruthResult{}
		for round := range rounds {
			for _, client := range alternate(round) {
				step(fmt.Sprintf("timing truth, %s, %d streams, round %d", client, tc.c, round+1))
				var r TruthResult
				_, err := child(self, &r, "truth", "-url", url, "-c", fmt.Sprint(tc.c), "-n", fmt.Sprint(2*tc.c), "-client", client)
				fail("truth "+client, err)
				if err == nil {
					runs[client] = append(runs[client], &r)
				}
			}
		}
		for _, client := range []string{"ours", "bare"} {
			if r := medianRun(runs[client], func(r *TruthResult) float64 { return r.WorstP99us }); r != nil {
				for _, x := range runs[client] {
					r.RoundsP99 = append(r.RoundsP99, x.WorstP99us)
				}
				res.Truth = append(res.Truth, r)
			}
		}
	}

	// 4. Scale: 4096 slow streams at once.
	step("scale, 4096 streams")
	fail("configure mock", configureMock(url, 1500*time.Millisecond, 250*time.Millisecond, 8))
	var sr ScaleResult
	if _, err := child(self, &sr, "scale", "-url", url, "-c", "4096"); err != nil {
		fail("scale", err)
	} else {
		res.Scale = &sr
	}

	// 5. Pacing at 4,000 req/s, engine and bare pacer.
	fail("configure mock", configureMock(url, 0, 0, 1))
	paceRuns := map[string][]*PaceResult{}
	for round := range rounds {
		for _, client := range alternate(round) {
			step(fmt.Sprintf("pacing, %s, round %d", client, round+1))
			var pr PaceResult
			if _, err := child(self, &pr, "pace", "-url", url, "-rate", "4000", "-n", "20000", "-client", client); err != nil {
				fail("pace "+client, err)
			} else {
				paceRuns[client] = append(paceRuns[client], &pr)
			}
		}
	}
	for _, client := range []string{"ours", "bare"} {
		if r := medianRun(paceRuns[client], func(r *PaceResult) float64 { return r.LagP99us }); r != nil {
			for _, x := range paceRuns[client] {
				r.RoundsP99 = append(r.RoundsP99, x.LagP99us)
			}
			res.Pace = append(res.Pace, r)
		}
	}

	// 6. Raw rate against vegeta: four rounds of 5 s each, the order swapped
	// every round, so drift in the shared machine's load falls on both alike.
	for round := range 4 {
		step(fmt.Sprintf("raw rate round %d", round+1))
		for i := range 2 {
			if (round+i)%2 == 0 {
				var rr RawResult
				cpu, err := child(self, &rr, "raw", "-url", url, "-c", "32", "-d", "5s")
				fail("raw ours", err)
				if err == nil && rr.Requests > 0 {
					res.Raw = append(res.Raw, RawCompare{Client: "ours", Requests: rr.Requests, Rate: float64(rr.Requests) / rr.Seconds,
						CPUSeconds: cpu.Seconds(), CPUPerReq: us(cpu) / float64(rr.Requests)})
				}
				continue
			}
			v, err := runVegeta(*vegeta, url, 32, 5*time.Second)
			fail("vegeta", err)
			if err == nil {
				res.Raw = append(res.Raw, *v)
			}
		}
	}

	// 7. The daemon: scrape time in process, RSS of the real binary.
	// Each round in a fresh process, as the other rows, so the driver's own
	// heap does not set the collector's garbage collections.
	step("daemon scrape")
	res.Scrape, err = scrapeRounds(self)
	fail("scrape", err)
	step("daemon RSS")
	res.Daemon, err = measureDaemon(*ae)
	fail("daemon", err)

	if *gobench != "" {
		res.GoBench, err = parseGoBench(*gobench)
		fail("go bench", err)
	}
	res.Machine.LoadEnd = loadAvg()
	res.Took = time.Since(t0).Seconds()
	rows := buildRows(res)
	fmt.Print(table(rows))
	if *jsonOut != "" {
		b, _ := json.MarshalIndent(res, "", "  ")
		fail("write json", os.WriteFile(*jsonOut, b, 0o644))
	}
	if err := os.WriteFile(*out, []byte(markdown(res, rows)), 0o644); err != nil {
		return nil, fmt.Errorf("write %s: %w", *out, err)
	}
	fmt.Fprintf(os.Stderr, "perf: wrote %s in %.0fs\n", *out, res.Took)
	return nil, nil
}

// scrapeRounds runs `perf scrape` rounds times, each in a fresh process, and
// returns the median round by p99.
func scrapeRounds(self string) (*ScrapeResult, error) {
	var runs []*ScrapeResult
	var errs []error
	for round := range rounds {
		fmt.Fprintf(os.Stderr, "perf: daemon scrape, round %d\n", round+1)
		var sr ScrapeResult
		if _, err := child(self, &sr, "scrape"); err != nil {
			errs = append(errs, err)
		} else {
			runs = append(runs, &sr)
		}
	}
	res := medianRun(runs, func(r *ScrapeResult) float64 { return r.P99ms })
	if res != nil {
		for _, x := range runs {
			res.RoundsP99 = append(res.RoundsP99, x.P99ms)
		}
	}
	return res, errors.Join(errs...)
}

// rerun measures part again and rewrites out with it, keeping every other
// result from out's raw JSON.
func rerun(part, out string) error {
	if part != "scrape" {
		return fmt.Errorf("-only %q: only scrape can be measured alone", part)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return err
	}
	_, raw, ok := strings.Cut(string(b), "## Raw results\n\n```json\n")
	raw, _, ok2 := strings.Cut(raw, "\n```")
	var res Results
	if !ok || !ok2 {
		return fmt.Errorf("%s: no raw results block", out)
	}
	if err := json.Unmarshal([]byte(raw), &res); err != nil {
		return fmt.Errorf("%s: raw results: %w", out, err)
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	r := Rerun{Part: part, Date: time.Now().UTC().Format("2006-01-02 15:04 UTC"), LoadStart: loadAvg()}
	if res.Scrape, err = scrapeRounds(self); err != nil {
		return err
	}
	r.LoadEnd = loadAvg()
	res.Reruns = append(slices.DeleteFunc(res.Reruns, func(x Rerun) bool { return x.Part == part }), r)
	rows := buildRows(&res)
	fmt.Print(table(rows))
	if err := os.WriteFile(out, []byte(markdown(&res, rows)), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	fmt.Fprintf(os.Stderr, "perf: rewrote %s with a new %s measurement\n", out, part)
	return nil
}

// rounds is how many times the timing-truth and pacing runs are repeated, the
// clients alternating, so a burst of load from other processes on the shared
// machine falls on both clients alike; each row reports the median run.
const rounds = 3

// alternate is the order of the clients in one round: ours first in even rounds.
func alternate(round int) []string {
	if round%2 == 0 {
		return []string{"ours", "bare"}
	}
	return []string{"bare", "ours"}
}

// medianRun is the run with the median key (the lower middle of an even count).
func medianRun[T any](runs []*T, key func(*T) float64) *T {
	if len(runs) == 0 {
		return nil
	}
	s := slices.Clone(runs)
	slices.SortFunc(s, func(a, b *T) int { return cmp.Compare(key(a), key(b)) })
	return s[(len(s)-1)/2]
}

// child runs this binary with args, decodes its JSON line into v and returns
// the child's CPU time (user + system).
func child(self string, v any, args ...string) (time.Duration, error) {
	cmd := exec.Command(self, args...)
	cmd.Stderr = os.Stderr
	outb, err := cmd.Output()
	if err != nil {
		return 0, fmt.Errorf("%s: %w", strings.Join(args[:1], " "), err)
	}
	if err := json.Unmarshal(outb, v); err != nil {
		return 0, fmt.Errorf("%s output: %w", args[0], err)
	}
	return cpuOf(cmd.ProcessState), nil
}

func cpuOf(ps *os.ProcessState) time.Duration { return ps.UserTime() + ps.SystemTime() }

// mockProc is the mock server, in its own process (the real binary), and
// self, this benchmark's own binary that runs each measurement as a child.
type mockProc struct {
	cmd  *exec.Cmd
	url  string
	self string
}

func startMock(ae string) (*mockProc, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(ae, "mock-server", "--addr", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start mock server: %w", err)
	}
	m := &mockProc{cmd: cmd, self: self}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "mock server listening on ")
	if err != nil || !ok {
		m.stop()
		return nil, fmt.Errorf("mock server did not start: %q %v", line, err)
	}
	m.url = url
	return m, nil
}

func (m *mockProc) stop() {
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = m.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = m.cmd.Process.Kill()
		<-done
	}
}

// runVegeta attacks the same endpoint with the same body and concurrency.
func runVegeta(bin, url string, c int, d time.Duration) (*RawCompare, error) {
	if bin == "" {
		return nil, errors.New("no vegeta binary (-vegeta)")
	}
	dir, err := os.MkdirTemp("", "perf-vegeta")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	body := chatDataset(1, false).Conversations[0].Turns[0].Body.Bytes()
	bodyFile, targets, results := filepath.Join(dir, "body.json"), filepath.Join(dir, "targets.txt"), filepath.Join(dir, "results.bin")
	if err := os.WriteFile(bodyFile, body, 0o644); err != nil {
		return nil, err
	}
	t := fmt.Sprintf("POST %s/v1/chat/completions\nContent-Type: application/json\n@%s\n", url, bodyFile)
	if err := os.WriteFile(targets, []byte(t), 0o644); err != nil {
		return nil, err
	}
	attack := exec.Command(bin, "attack", "-targets", targets, "-rate", "0", "-workers", fmt.Sprint(c),
		"-max-workers", fmt.Sprint(c), "-duration", d.String(), "-timeout", "60s", "-output", results)
	attack.Stderr = os.Stderr
	if err := attack.Run(); err != nil {
		return nil, fmt.Errorf("vegeta attack: %w", err)
	}
	cpu := cpuOf(attack.ProcessState)
	rep, err := exec.Command(bin, "report", "-type", "json", results).Output()
	if err != nil {
		return nil, fmt.Errorf("vegeta report: %w", err)
	}
	var r struct {
		Requests    int64            `json:"requests"`
		Rate        float64          `json:"rate"`
		Success     float64          `json:"success"`
		StatusCodes map[string]int64 `json:"status_codes"`
	}
	if err := json.Unmarshal(rep, &r); err != nil {
		return nil, fmt.Errorf("vegeta report: %w", err)
	}
	ok := r.StatusCodes["200"]
	if ok == 0 {
		return nil, fmt.Errorf("vegeta: no successful request (%v)", r.StatusCodes)
	}
	return &RawCompare{Client: "vegeta", Requests: ok, Rate: r.Rate * r.Success, CPUSeconds: cpu.Seconds(), CPUPerReq: us(cpu) / float64(ok)}, nil
}

// DaemonResult is the resident memory of `serve --mock` at concurrency 64.
type DaemonResult struct {
	Concurrency int     `json:"concurrency"`
	SteadyMB    float64 `json:"steady_rss_mb"` // highest RSS over the steady window
	MeanMB      float64 `json:"mean_rss_mb"`
	Samples     int     `json:"samples"`
	Requests    string  `json:"requests_total_line"`
}

// measureDaemon runs the real daemon with its embedded mock, skips 10 s of
// warm-up and samples its RSS every 0.5 s for 15 s.
func measureDaemon(ae string) (*DaemonResult, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(ae, "serve", "--mock", "--streaming", "--concurrency", "64", "--web.listen-address", addr)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start serve: %w", err)
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	pid := fmt.Sprint(cmd.Process.Pid)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sleepCtx(ctx, 10*time.Second)
	res := &DaemonResult{Concurrency: 64}
	var sum float64
	for range 30 {
		rss, err := rssBytes(pid)
		if err != nil {
			return nil, fmt.Errorf("serve exited early: %w", err)
		}
		mb := float64(rss) / (1 << 20)
		res.SteadyMB = max(res.SteadyMB, mb)
		sum += mb
		res.Samples++
		sleepCtx(ctx, 500*time.Millisecond)
	}
	res.MeanMB = sum / float64(res.Samples)
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return nil, fmt.Errorf("scrape serve: %w", err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "aiperf_requests_total{") && strings.Contains(sc.Text(), `outcome="success"`) {
			res.Requests = sc.Text()
		}
	}
	if res.Requests == "" {
		return nil, errors.New("serve --mock finished no request")
	}
	return res, nil
}
