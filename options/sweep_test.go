package options

import (
	"flag"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestSplitSweep(t *testing.T) {
	for _, c := range []struct {
		name     string
		args     []string
		wantArgs []string
		lastArgs []string // the command line of the last value's run
		flag     string
		values   []float64
		err      string
	}{
		{"single value unchanged", []string{"--concurrency", "4", "--mock"}, []string{"--concurrency", "4", "--mock"}, nil, "", nil, ""},
		{"list", []string{"--mock", "--concurrency", "1,2,4,8"}, []string{"--mock", "--concurrency", "1"}, []string{"--mock", "--concurrency", "8"}, "concurrency", []float64{1, 2, 4, 8}, ""},
		{"inline list", []string{"--concurrency=2, 4"}, []string{"--concurrency=2"}, []string{"--concurrency=4"}, "concurrency", []float64{2, 4}, ""},
		{"single dash", []string{"-concurrency", "3,6"}, []string{"-concurrency", "3"}, []string{"-concurrency", "6"}, "concurrency", []float64{3, 6}, ""},
		{"rates", []string{"--request-rate", "0.5,2.5"}, []string{"--request-rate", "0.5"}, []string{"--request-rate", "2.5"}, "request-rate", []float64{0.5, 2.5}, ""},
		{"another flag's list", []string{"--audio-sample-rates", "16,44"}, []string{"--audio-sample-rates", "16,44"}, nil, "", nil, ""},
		{"zero concurrency", []string{"--concurrency", "0,2"}, nil, nil, "", nil, `--concurrency (AIPERF_CONCURRENCY): list "0,2": "0" must be a whole number of at least 1`},
		{"fractional concurrency", []string{"--concurrency", "1,2.5"}, nil, nil, "", nil, `"2.5" must be a whole number`},
		{"not a number", []string{"--concurrency", "1,abc"}, nil, nil, "", nil, `"abc" is not a number`},
		{"empty item", []string{"--request-rate", "1,,2"}, nil, nil, "", nil, `"" is not a number`},
		{"negative rate", []string{"--request-rate", "1,-2"}, nil, nil, "", nil, `"-2" must be above 0`},
		{"two sweeps", []string{"--concurrency", "1,2", "--request-rate", "1,2"}, nil, nil, "", nil, "one of --concurrency and --request-rate"},
	} {
		t.Run(c.name, func(t *testing.T) {
			args, s, err := SplitSweep(c.args)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
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
			if s == nil || s.Flag != c.flag || !slices.Equal(s.Values, c.values) {
				t.Fatalf("sweep = %+v, want %s %v", s, c.flag, c.values)
			}
			// Each run's command line holds its own value where the list was.
			last := s.Args(args, c.values[len(c.values)-1])
			if !slices.Equal(last, c.lastArgs) {
				t.Errorf("args of the last run = %q, want %q", last, c.lastArgs)
			}
		})
	}
}

// A list in AIPERF_CONCURRENCY or AIPERF_REQUEST_RATE sweeps as the flag's
// does, unless the command line gives the flag; bad values name the variable.
func TestSplitSweepFromEnv(t *testing.T) {
	for _, c := range []struct {
		name     string
		env      map[string]string
		args     []string
		wantArgs []string
		flag     string
		values   []float64
		err      string
	}{
		{"comma list", map[string]string{"AIPERF_CONCURRENCY": "1,2,4"}, []string{"--mock"}, []string{"--concurrency=1", "--mock"}, "concurrency", []float64{1, 2, 4}, ""},
		{"JSON array", map[string]string{"AIPERF_REQUEST_RATE": "[0.5, 2]"}, []string{"--mock"}, []string{"--request-rate=0.5", "--mock"}, "request-rate", []float64{0.5, 2}, ""},
		{"single value is no sweep", map[string]string{"AIPERF_CONCURRENCY": "4"}, []string{"--mock"}, []string{"--mock"}, "", nil, ""},
		{"command line wins", map[string]string{"AIPERF_CONCURRENCY": "1,2"}, []string{"--concurrency", "8"}, []string{"--concurrency", "8"}, "", nil, ""},
		{"bad item", map[string]string{"AIPERF_CONCURRENCY": "1,two"}, nil, nil, "", nil, `--concurrency (AIPERF_CONCURRENCY): list "1,two": "two" is not a number`},
		{"bad array", map[string]string{"AIPERF_CONCURRENCY": "[1,2"}, nil, nil, "", nil, `(AIPERF_CONCURRENCY): list "[1,2"`},
		{"two sweeps", map[string]string{"AIPERF_REQUEST_RATE": "1,2"}, []string{"--concurrency", "1,2"}, nil, "", nil, "one of --concurrency and --request-rate"},
	} {
		t.Run(c.name, func(t *testing.T) {
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			args, s, err := SplitSweep(c.args)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
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
			if s == nil || s.Flag != c.flag || !slices.Equal(s.Values, c.values) {
				t.Fatalf("sweep = %+v, want %s %v", s, c.flag, c.values)
			}
			last := s.Args(args, c.values[len(c.values)-1])
			if want := "--" + c.flag + "=" + strconv.FormatFloat(c.values[len(c.values)-1], 'f', -1, 64); last[0] != want {
				t.Errorf("last run's args %q, want %q first", last, want)
			}
			// The run's own parse reads the flag, never the variable's list.
			var o Options
			if _, err := Parse(flag.NewFlagSet("t", flag.ContinueOnError), []string{last[0], "-m", "x"}, &o); err != nil {
				t.Errorf("parse of a run's args: %v", err)
			}
		})
	}
}
