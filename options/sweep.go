package options

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
)

// sweepable are the flags that take a comma list to sweep (AIPerf's "magic
// lists"), by every name they answer to, with the name AIPerf's sweeps give
// the setting and what a value must be.
var sweepable = map[string]SweepSetting{}

// SweepSetting is a setting a sweep or an adaptive search (--search-space)
// may vary.
type SweepSetting struct {
	Name  string  // as directories and summaries name it: concurrency, request_rate, isl
	Path  string  // AIPerf's config path, which orders the settings of a grid: phases.profiling.concurrency
	Whole bool    // whole numbers only
	Min   float64 // the least value taken
	Above bool    // values must be above Min, not at it
}

// sweepPrimaries are the flag names whose variables may hold a list
// (AIPERF_CONCURRENCY=1,2,4), one per setting, in a fixed order.
var sweepPrimaries []string

// sweepPrimary is the first name of each sweepable flag's setting (isl ->
// synthetic-input-tokens-mean), the name its bounds are kept under.
var sweepPrimary = map[string]string{}

func init() {
	for _, k := range []struct {
		flags string
		kind  SweepSetting
	}{
		{"concurrency", SweepSetting{"concurrency", "phases.profiling.concurrency", true, 1, false}},
		{"request-rate", SweepSetting{"request_rate", "phases.profiling.rate", false, 0, true}},
		{"request-count,num-requests", SweepSetting{"request_count", "phases.profiling.requests", true, 1, false}},
		{"benchmark-duration", SweepSetting{"benchmark_duration", "phases.profiling.duration", false, 0, true}},
		{"synthetic-input-tokens-mean,prompt-input-tokens-mean,isl", SweepSetting{"isl", "datasets.main.prompts.isl", true, 0, false}},
		{"synthetic-input-tokens-stddev,prompt-input-tokens-stddev,isl-stddev", SweepSetting{"isl_stddev", "datasets.main.prompts.isl.stddev", false, 0, false}},
		{"output-tokens-mean,prompt-output-tokens-mean,osl", SweepSetting{"osl", "datasets.main.prompts.osl", true, 0, false}},
		{"output-tokens-stddev,prompt-output-tokens-stddev,osl-stddev", SweepSetting{"osl_stddev", "datasets.main.prompts.osl.stddev", false, 0, false}},
		{"num-dataset-entries,conversation-num,num-conversations,num-sessions,num-prompts", SweepSetting{"conversation_num", "datasets.main.entries", true, 1, false}},
	} {
		names := strings.Split(k.flags, ",")
		for _, f := range names {
			sweepable[f] = k.kind
			sweepPrimary[f] = names[0]
		}
		sweepPrimaries = append(sweepPrimaries, names[0])
	}
}

// SweepSettingOf is the setting a sweepable flag (by any of its names)
// sets, as sweeps name it (concurrency, isl); false for other flags.
func SweepSettingOf(flag string) (string, bool) {
	k, ok := sweepable[flag]
	return k.Name, ok
}

// LookupSweepSetting finds the setting a --search-space path names: AIPerf's
// config path (phases.profiling.concurrency), its last part when no other
// setting's ends alike (concurrency, rate, isl), or the name our sweeps give
// it (request_rate).
func LookupSweepSetting(path string) (SweepSetting, bool) {
	var found []SweepSetting
	for _, name := range sweepPrimaries {
		k := sweepable[name]
		parts := strings.Split(k.Path, ".")
		if k.Path == path || k.Name == path || parts[len(parts)-1] == path {
			found = append(found, k)
		}
	}
	if len(found) != 1 {
		return SweepSetting{}, false
	}
	return found[0], true
}

// SweepList is one flag given a comma list.
type SweepList struct {
	SweepSetting        // the setting: Name, Path, Whole (written without a decimal point)
	Flag         string // the flag as given, without dashes
	Values       []float64

	at     int    // the argument that held the list
	prefix string // "--concurrency=" when the list was inline
}

// Sweep is every flag given a comma list: AIPerf then runs once per value,
// or per combination of values when several flags hold lists.
type Sweep struct {
	Lists []SweepList // sorted by Path, the order AIPerf combines them in: dataset settings, then load
}

// Args is the command line of the run at values (one per list, in Lists'
// order): args (as SplitSweep returned them) with each value in place of its
// list, so each run's report echoes the command that would make it alone.
func (s Sweep) Args(args []string, values []float64) []string {
	out := append([]string(nil), args...)
	for i, l := range s.Lists {
		out[l.at] = l.prefix + strconv.FormatFloat(values[i], 'f', -1, 64)
	}
	return out
}

// SetSwept puts the value v of the swept setting name (a SweepList.Name)
// into o, through the setting's own flag, so the flag table stays the one
// place that says which field a setting is.
func SetSwept(o *Options, name string, v float64) {
	for _, flagName := range sweepPrimaries {
		if sweepable[flagName].Name != name {
			continue
		}
		if s, ok := Lookup(o, flagName); ok && s.Set(strconv.FormatFloat(v, 'f', -1, 64)) == nil {
			return
		}
	}
	panic(fmt.Sprintf("options: %g is not a value of the swept setting %s", v, name))
}

// SplitSweep takes the comma lists given to sweepable flags (--concurrency,
// --request-rate, --isl, --osl, ...) out of args. It returns args with each
// list replaced by its first value, so the rest parses (and is checked) as
// one run, and the sweep; nil when no flag holds a list, and a single value
// behaves as it always has. A setting the command line leaves out takes its
// list from its variable (AIPERF_CONCURRENCY=1,2,4 or [1,2,4]); the returned
// args then start with the flag at the list's first value, so the variable's
// list is not read again.
func SplitSweep(args []string) ([]string, *Sweep, error) {
	out := append([]string(nil), args...)
	var lists []SweepList
	given := map[string]bool{} // settings the command line gives, by SweepSetting.Name
	for i := 0; i < len(out); i++ {
		a := out[i]
		if a == "--" {
			break
		}
		name, value, inline := strings.Cut(strings.TrimLeft(a, "-"), "=")
		kind, ok := sweepable[name]
		if !strings.HasPrefix(a, "-") || !ok {
			continue
		}
		given[kind.Name] = true
		at := i
		if !inline {
			if i+1 >= len(out) {
				break // the flag package says the value is missing
			}
			at, value = i+1, out[i+1]
		}
		i = at
		if !strings.Contains(value, ",") {
			continue
		}
		values, err := parseSweep(name, kind, value)
		if err != nil {
			return nil, nil, err
		}
		if j := slices.IndexFunc(lists, func(l SweepList) bool { return l.Name == kind.Name }); j >= 0 {
			return nil, nil, &Error{Flag: name, Msg: fmt.Sprintf("a list is already given to --%s, the same setting", lists[j].Flag)}
		}
		l := SweepList{SweepSetting: kind, Flag: name, Values: values, at: at}
		if inline {
			l.prefix = a[:strings.Index(a, "=")+1]
		}
		out[at] = l.prefix + strconv.FormatFloat(values[0], 'f', -1, 64)
		lists = append(lists, l)
	}
	for _, name := range sweepPrimaries {
		kind := sweepable[name]
		list, ok := envSweep(name)
		if !ok || given[kind.Name] {
			continue
		}
		values, err := parseSweep(name, kind, list)
		if err != nil {
			return nil, nil, err
		}
		for i := range lists {
			lists[i].at++ // the flag goes first
		}
		l := SweepList{SweepSetting: kind, Flag: name, Values: values, prefix: "--" + name + "="}
		out = append([]string{l.prefix + strconv.FormatFloat(values[0], 'f', -1, 64)}, out...)
		lists = append(lists, l)
	}
	if lists == nil {
		return out, nil, nil
	}
	slices.SortFunc(lists, func(a, b SweepList) int { return strings.Compare(a.Path, b.Path) })
	return out, &Sweep{Lists: lists}, nil
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
// whole numbers of at least 1 for concurrency, rates above 0, and so on.
func parseSweep(name string, kind SweepSetting, list string) ([]float64, error) {
	var values []float64
	for _, part := range strings.Split(list, ",") {
		part = strings.TrimSpace(part)
		x, err := strconv.ParseFloat(part, 64)
		switch {
		case err != nil || x != x:
			return nil, &Error{Flag: name, Msg: fmt.Sprintf("list %s: %s is not a number", clip.Quote(list), clip.Quote(part))}
		case x > 1e9:
			return nil, &Error{Flag: name, Msg: fmt.Sprintf("list %s: %s is too large", clip.Quote(list), clip.Quote(part))}
		case kind.Whole && (x < kind.Min || x != float64(int(x))):
			return nil, &Error{Flag: name, Msg: fmt.Sprintf("list %s: %s must be a whole number of at least %g", clip.Quote(list), clip.Quote(part), kind.Min)}
		case kind.Above && x <= kind.Min:
			return nil, &Error{Flag: name, Msg: fmt.Sprintf("list %s: %s must be above %g", clip.Quote(list), clip.Quote(part), kind.Min)}
		case x < kind.Min:
			return nil, &Error{Flag: name, Msg: fmt.Sprintf("list %s: %s must be at least %g", clip.Quote(list), clip.Quote(part), kind.Min)}
		}
		// The bounds a single value meets at parse, checked here so that no
		// run starts when a later one of the list could not.
		var oe *Error
		if err := CheckNumber(sweepPrimary[name], x); errors.As(err, &oe) {
			return nil, &Error{Flag: name, Msg: fmt.Sprintf("list %s: %s", clip.Quote(list), oe.Msg)}
		}
		values = append(values, x)
	}
	return values, nil
}
