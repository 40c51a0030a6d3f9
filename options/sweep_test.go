package options

import (
	"flag"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// A list in a sweepable flag's variable (AIPERF_CONCURRENCY,
// AIPERF_OUTPUT_TOKENS_MEAN, ...) sweeps as the flag's does, unless the
// command line gives the setting under any name; bad values name the variable.
func TestSplitSweep(t *testing.T) {
	for _, c := range []struct {
		name     string
		env      map[string]string
		args     []string
		wantArgs []string
		lastArgs []string // the command line of the last value's run
		flag     string
		values   []float64
		err      string
	}{
		{"single value unchanged", nil, []string{"--concurrency", "4", "--mock"}, []string{"--concurrency", "4", "--mock"}, nil, "", nil, ""},
		{"list", nil, []string{"--mock", "--concurrency", "1,2,4,8"}, []string{"--mock", "--concurrency", "1"}, []string{"--mock", "--concurrency", "8"}, "concurrency", []float64{1, 2, 4, 8}, ""},
		{"inline list", nil, []string{"--concurrency=2, 4"}, []string{"--concurrency=2"}, []string{"--concurrency=4"}, "concurrency", []float64{2, 4}, ""},
		{"single dash", nil, []string{"-concurrency", "3,6"}, []string{"-concurrency", "3"}, []string{"-concurrency", "6"}, "concurrency", []float64{3, 6}, ""},
		{"rates", nil, []string{"--request-rate", "0.5,2.5"}, []string{"--request-rate", "0.5"}, []string{"--request-rate", "2.5"}, "request-rate", []float64{0.5, 2.5}, ""},
		{"another flag's list", nil, []string{"--audio-sample-rates", "16,44"}, []string{"--audio-sample-rates", "16,44"}, nil, "", nil, ""},
		{"zero concurrency", nil, []string{"--concurrency", "0,2"}, nil, nil, "", nil, `--concurrency (AIPERF_CONCURRENCY): list "0,2": "0" must be a whole number of at least 1`},
		{"fractional concurrency", nil, []string{"--concurrency", "1,2.5"}, nil, nil, "", nil, `"2.5" must be a whole number`},
		{"concurrency above its bound", nil, []string{"--concurrency", "1,2,100000000"}, nil, nil, "", nil, `--concurrency (AIPERF_CONCURRENCY): list "1,2,100000000": 1e+08 is above the limit of 100000 lanes`},
		{"isl alias above its bound", nil, []string{"--isl", "1,2000000"}, nil, nil, "", nil, `--isl (AIPERF_ISL): list "1,2000000": 2e+06 is above the limit of 1000000 tokens`},
		{"not a number", nil, []string{"--concurrency", "1,abc"}, nil, nil, "", nil, `"abc" is not a number`},
		{"empty item", nil, []string{"--request-rate", "1,,2"}, nil, nil, "", nil, `"" is not a number`},
		{"negative rate", nil, []string{"--request-rate", "1,-2"}, nil, nil, "", nil, `"-2" must be above 0`},
		{"isl alias", nil, []string{"--isl", "128,512"}, []string{"--isl", "128"}, []string{"--isl", "512"}, "isl", []float64{128, 512}, ""},
		{"osl by its long name", nil, []string{"--output-tokens-mean=16,32"}, []string{"--output-tokens-mean=16"}, []string{"--output-tokens-mean=32"}, "output-tokens-mean", []float64{16, 32}, ""},
		{"fractional isl", nil, []string{"--isl", "1,2.5"}, nil, nil, "", nil, `"2.5" must be a whole number of at least 0`},
		{"zero duration", nil, []string{"--benchmark-duration", "0,5"}, nil, nil, "", nil, `"0" must be above 0`},
		{"negative stddev", nil, []string{"--isl-stddev", "1,-1"}, nil, nil, "", nil, `"-1" must be at least 0`},
		{"one setting twice", nil, []string{"--isl", "1,2", "--synthetic-input-tokens-mean", "3,4"}, nil, nil, "", nil, "already given to --isl"},
		{"variable's comma list", map[string]string{"AIPERF_CONCURRENCY": "1,2,4"}, []string{"--mock"}, []string{"--concurrency=1", "--mock"}, []string{"--concurrency=4", "--mock"}, "concurrency", []float64{1, 2, 4}, ""},
		{"variable's JSON array", map[string]string{"AIPERF_REQUEST_RATE": "[0.5, 2]"}, []string{"--mock"}, []string{"--request-rate=0.5", "--mock"}, []string{"--request-rate=2", "--mock"}, "request-rate", []float64{0.5, 2}, ""},
		{"variable's sequence lengths", map[string]string{"AIPERF_OUTPUT_TOKENS_MEAN": "8,16"}, nil, []string{"--output-tokens-mean=8"}, []string{"--output-tokens-mean=16"}, "output-tokens-mean", []float64{8, 16}, ""},
		{"variable's single value", map[string]string{"AIPERF_CONCURRENCY": "4"}, []string{"--mock"}, []string{"--mock"}, nil, "", nil, ""},
		{"command line wins over the variable", map[string]string{"AIPERF_CONCURRENCY": "1,2"}, []string{"--concurrency", "8"}, []string{"--concurrency", "8"}, nil, "", nil, ""},
		{"an alias wins over the variable", map[string]string{"AIPERF_OUTPUT_TOKENS_MEAN": "1,2"}, []string{"--osl", "8"}, []string{"--osl", "8"}, nil, "", nil, ""},
		{"variable's bad item", map[string]string{"AIPERF_CONCURRENCY": "1,two"}, nil, nil, nil, "", nil, `--concurrency (AIPERF_CONCURRENCY): list "1,two": "two" is not a number`},
		{"variable's bad array", map[string]string{"AIPERF_CONCURRENCY": "[1,2"}, nil, nil, nil, "", nil, `(AIPERF_CONCURRENCY): list "[1,2"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			args, s, err := SplitSweep(c.args)
			if checkError(t, err, c.err) {
				return
			}
			if !slices.Equal(args, c.wantArgs) {
				t.Errorf("args = %q, want %q", args, c.wantArgs)
			}
			if c.flag == "" {
				if s != nil {
					t.Errorf("sweep = %+v, want none", s)
				}
				return
			}
			if s == nil || len(s.Lists) != 1 || s.Lists[0].Flag != c.flag || !slices.Equal(s.Lists[0].Values, c.values) {
				t.Fatalf("sweep = %+v, want %s %v", s, c.flag, c.values)
			}
			// Each run's command line holds its own value where the list was.
			last := s.Args(args, c.values[len(c.values)-1:])
			if !slices.Equal(last, c.lastArgs) {
				t.Errorf("args of the last run = %q, want %q", last, c.lastArgs)
			}
			if c.env == nil {
				return
			}
			// A run's own parse reads the flag put first, never the variable's list.
			var o Options
			if _, err := Parse(flag.NewFlagSet("t", flag.ContinueOnError), []string{last[0], "-m", "x"}, &o); err != nil {
				t.Errorf("parse of a run's args: %v", err)
			}
		})
	}
}

// Several lists: sorted by AIPerf's config path (its order of combination:
// dataset settings before the load),
// each run's command line holds every value in place of its list.
func TestSplitSweepSeveralLists(t *testing.T) {
	args, s, err := SplitSweep([]string{"--osl", "8,16", "--concurrency=1,2,4", "--mock"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"--osl", "8", "--concurrency=1", "--mock"}; !slices.Equal(args, want) {
		t.Errorf("args = %q, want %q", args, want)
	}
	if len(s.Lists) != 2 || s.Lists[0].Name != "osl" || s.Lists[1].Name != "concurrency" || !s.Lists[0].Whole {
		t.Fatalf("lists = %+v", s.Lists)
	}
	if got, want := s.Args(args, []float64{16, 4}), []string{"--osl", "16", "--concurrency=4", "--mock"}; !slices.Equal(got, want) {
		t.Errorf("args of (16, 4) = %q, want %q", got, want)
	}
	var o Options
	for _, l := range s.Lists {
		SetSwept(&o, l.Name, l.Values[1])
	}
	if o.Concurrency != 2 || o.OutputTokensMean != 16 {
		t.Errorf("SetSwept: concurrency %d, osl %d", o.Concurrency, o.OutputTokensMean)
	}
}

// Every sweepable name is a flag (or alias) of Options, and SetSwept sets
// the field that flag sets.
func TestSweepableFlagsExist(t *testing.T) {
	for flagName, kind := range sweepable {
		var viaFlag, viaSweep Options
		s, ok := Lookup(&viaFlag, flagName)
		if !ok {
			t.Errorf("--%s is not a flag of Options", flagName)
			continue
		}
		if err := s.Set("7"); err != nil {
			t.Fatalf("--%s 7: %v", flagName, err)
		}
		SetSwept(&viaSweep, kind.Name, 7)
		if !reflect.DeepEqual(viaFlag, viaSweep) {
			t.Errorf("--%s 7 and SetSwept(%s, 7) set different fields", flagName, kind.Name)
		}
	}
}

// SplitSweep never panics, and each run's command line has a plain value
// where each list was.
func FuzzSplitSweep(f *testing.F) {
	f.Add("--concurrency", "1,2", "--isl=8,16")
	f.Add("-osl", "4,,8", "--")
	f.Add("--request-rate", "0.5, 1e3", "--benchmark-duration=1,2")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		args, s, err := SplitSweep([]string{a, b, c})
		if err != nil || s == nil {
			return
		}
		values := make([]float64, len(s.Lists))
		for i, l := range s.Lists {
			values[i] = l.Values[len(l.Values)-1]
		}
		for _, arg := range s.Args(args, values) {
			name, v, ok := strings.Cut(arg, "=")
			if ok && strings.HasPrefix(name, "-") && strings.Contains(v, ",") && sweepable[strings.TrimLeft(name, "-")].Name != "" {
				t.Errorf("a list is left in %q", arg)
			}
		}
	})
}

// A list from a variable beside one on the command line: both sweep (a grid),
// and the command line's list keeps its place in the shifted args.
func TestSplitSweepEnvBesideCommandLine(t *testing.T) {
	t.Setenv("AIPERF_CONCURRENCY", "1,2")
	args, s, err := SplitSweep([]string{"--mock", "--osl", "8,16"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"--concurrency=1", "--mock", "--osl", "8"}; !slices.Equal(args, want) {
		t.Fatalf("args = %q, want %q", args, want)
	}
	if len(s.Lists) != 2 || s.Lists[0].Name != "osl" || s.Lists[1].Name != "concurrency" {
		t.Fatalf("lists = %+v", s.Lists)
	}
	if got, want := s.Args(args, []float64{16, 2}), []string{"--concurrency=2", "--mock", "--osl", "16"}; !slices.Equal(got, want) {
		t.Errorf("args of (16, 2) = %q, want %q", got, want)
	}
}

// Every setting's variable is one the options walker reads.
func TestSweepPrimariesHaveVariables(t *testing.T) {
	known := map[string]bool{}
	for _, n := range EnvNames(&Options{}) {
		known[n] = true
	}
	for _, name := range sweepPrimaries {
		if !known[EnvName(name)] {
			t.Errorf("--%s: %s is not a variable Options reads", name, EnvName(name))
		}
	}
}

func TestLookupSweepSetting(t *testing.T) {
	for path, want := range map[string]string{
		"phases.profiling.concurrency": "concurrency", "concurrency": "concurrency",
		"phases.profiling.rate": "request_rate", "rate": "request_rate", "request_rate": "request_rate",
		"datasets.main.prompts.isl": "isl", "isl": "isl", "osl": "osl", "datasets.main.prompts.osl.stddev": "osl_stddev",
		"stddev": "", "phases.profiling.concurency": "", "": "",
	} {
		got, ok := LookupSweepSetting(path)
		if got.Name != want || ok != (want != "") {
			t.Errorf("%q: %+v %v, want %q", path, got, ok, want)
		}
	}
}
