package options

import (
	"fmt"
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
// has. Lists are taken on the command line only.
func SplitSweep(args []string) ([]string, *Sweep, error) {
	out := append([]string(nil), args...)
	var sweep *Sweep
	for i := 0; i < len(out); i++ {
		a := out[i]
		if a == "--" {
			break
		}
		name, value, inline := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || (name != "concurrency" && name != "request-rate") {
			continue
		}
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
	return out, sweep, nil
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
