//go:build linux

package main

import (
	"bufio"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Machine describes where the numbers came from.
type Machine struct {
	CPU        string `json:"cpu"`
	Cores      int    `json:"cores"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	MemTotal   string `json:"mem_total"`
	Kernel     string `json:"kernel"`
	Go         string `json:"go"`
	Date       string `json:"date"`
	LoadStart  string `json:"load_start"`
	LoadEnd    string `json:"load_end"`
}

func describeMachine() Machine {
	m := Machine{Cores: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), Go: runtime.Version(),
		Date: time.Now().UTC().Format("2006-01-02 15:04 UTC"), LoadStart: loadAvg()}
	m.CPU = firstField("/proc/cpuinfo", "model name")
	m.MemTotal = firstField("/proc/meminfo", "MemTotal")
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	return m
}

func firstField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// loadAvg is the 1, 5 and 15 minute load average: the machine is shared, so
// the report says how busy it was.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// Bench is a Go benchmark's runs: the best ns/op, the median of other units.
type Bench struct {
	Runs   int                `json:"runs"`
	NsOp   float64            `json:"ns_per_op"`
	Values map[string]float64 `json:"values"` // unit -> median (B/op, allocs/op, allocs/chunk, ...)
}

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(-\d+)?\s+\d+\s+(.*)$`)

// parseGoBench reads `go test -bench` output, keeping the median per benchmark.
func parseGoBench(path string) (map[string]Bench, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	vals := map[string]map[string][]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := benchLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		fields := strings.Fields(m[3])
		for i := 0; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				continue
			}
			if vals[m[1]] == nil {
				vals[m[1]] = map[string][]float64{}
			}
			vals[m[1]][fields[i+1]] = append(vals[m[1]][fields[i+1]], v)
		}
	}
	out := map[string]Bench{}
	for name, units := range vals {
		b := Bench{Values: map[string]float64{}}
		for unit, vs := range units {
			slices.Sort(vs)
			b.Values[unit] = vs[len(vs)/2]
			if unit == "ns/op" {
				b.Values[unit] = vs[0] // best of the runs: the least disturbed
			}
			b.Runs = len(vs)
		}
		b.NsOp = b.Values["ns/op"]
		out[name] = b
	}
	return out, sc.Err()
}
