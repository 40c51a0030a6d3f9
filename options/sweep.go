package options

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Sweep is a comma list given to --concurrency or --request-rate: AIPerf
// then runs once per value, one after another.
type Sweep struct {
	Flag   string // "concurrency" or "request-rate"
	Values []float64

	at     int    // the argument that held the list
	prefix string // "--concurrency=" when the list was inline
}

// Args is the command line of the run at value v: args (as SplitSweep
// returned them) with v in place of the list, so each run's report echoes
// the command that would make it alone.
func (s Sweep) Args(args []string, v float64) []string {
	out := append([]string(nil), args...)
	out[s.at] = s.prefix + strconv.FormatFloat(v, 'f', -1, 64)
	return out
}

// Name is the swept setting as AIPerf names it in directories and summaries.
func (s Sweep) Name() string { return strings.ReplaceAll(s.Flag, "-", "_") }

// SplitSweep takes a comma list given to --concurrency or --request-rate
// out of args. It returns args with the list replaced by its first value, so
// the rest parses (and is checked) as one run at that value, and the sweep;
// nil when no flag holds a list, and a single value behaves as it always
// has. A flag the command line leaves out takes its list from its variable
// (AIPERF_CONCURRENCY=1,2,4 or [1,2,4]); the returned args then start with
// the flag at the list's first value, so the variable's list is not read again.
func SplitSweep(args []string) ([]string, *Sweep, error) {
	out := append([]string(nil), args...)
	var sweep *Sweep
	given := map[string]bool{}
	for i := 0; i < len(out); i++ {
		a := out[i]
		if a == "--" {
			break
		}
		name, value, inline := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || (name != "concurrency" && name != "request-rate") {
			continue
		}
		given[name] = true
		at := i
		if !inline {
			if i+1 >= len(out) {
				break // the flag package says the value is missing
			}
			at, value = i+1, out[i+1]
		}
		if !strings.Contains(value, ",") {
			continue
		}
		if sweep != nil && sweep.Flag != name {
			return nil, nil, &Error{Flag: name, Msg: "sweep one of --concurrency and --request-rate at a time"}
		}
		values, err := parseSweep(name, value)
		if err != nil {
			return nil, nil, err
		}
		sweep = &Sweep{Flag: name, Values: values, at: at}
		if inline {
			sweep.prefix = a[:strings.Index(a, "=")+1]
		}
		out = sweep.Args(out, values[0])
		i = at
	}
	for _, name := range []string{"concurrency", "request-rate"} {
		list, ok := envSweep(name)
		if !ok || given[name] {
			continue
		}
		if sweep != nil {
			return nil, nil, &Error{Flag: name, Msg: "sweep one of --concurrency and --request-rate at a time"}
		}
		values, err := parseSweep(name, list)
		if err != nil {
			return nil, nil, err
		}
		sweep = &Sweep{Flag: name, Values: values, prefix: "--" + name + "="}
		out = sweep.Args(append([]string{""}, out...), values[0])
	}
	return out, sweep, nil
}

// envSweep returns the list in the flag's variable as a comma list, if it
// holds one: commas, or a JSON array as AIPerf's settings take.
func envSweep(name string) (string, bool) {
	raw, ok := os.LookupEnv(EnvName(name))
	if !ok || !strings.ContainsAny(raw, ",[") {
		return "", false
	}
	if !strings.HasPrefix(strings.TrimSpace(raw), "[") {
		return raw, true
	}
	parts, err := EnvList(raw)
	if err != nil || len(parts) == 0 {
		return raw, true // parseSweep names what is wrong with it
	}
	return strings.Join(parts, ","), true
}

// parseSweep reads the values of a list, checked as AIPerf checks them:
// whole numbers of at least 1 for concurrency, rates above 0.
func parseSweep(name, list string) ([]float64, error) {
	var values []float64
	for _, part := range strings.Split(list, ",") {
		part = strings.TrimSpace(part)
		x, err := strconv.ParseFloat(part, 64)
		switch {
		case err != nil || x != x:
			return nil, &Error{Flag: name, Msg: fmt.Sprintf("list %q: %q is not a number", list, part)}
		case name == "concurrency" && (x < 1 || x != float64(int(x))):
			return nil, &Error{Flag: name, Msg: fmt.Sprintf("list %q: %q must be a whole number of at least 1", list, part)}
		case x <= 0 || x > 1e9:
			return nil, &Error{Flag: name, Msg: fmt.Sprintf("list %q: %q must be above 0", list, part)}
		}
		values = append(values, x)
	}
	return values, nil
}
