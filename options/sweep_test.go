package options

import (
	"slices"
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
