package profile

import (
	"errors"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// The total-failure line shows the code only when there is one (0 and an
// empty type are N/A in the error summary).
func TestExitCodeReason(t *testing.T) {
	cases := []struct {
		name string
		err  record.Error
		want string
	}{
		{"code and type", record.Error{Code: 500, Type: "Internal Server Error", Message: "boom"}, "(500 Internal Server Error: boom)"},
		{"no code", record.Error{Type: "TimeoutError", Message: "request timed out"}, "(TimeoutError: request timed out)"},
		{"no type", record.Error{Code: 502, Message: "bad gateway"}, "(502: bad gateway)"},
		{"message only", record.Error{Message: "odd"}, "(odd)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := c.err
			recs := []*record.Record{{RequestID: "a", Phase: record.PhaseProfiling, StartNs: 1, OutputTokens: -1, ReasoningTokens: -1, Error: &e}}
			res := metrics.Aggregate(recs, metrics.AggregateOptions{})
			err := (&Run{}).check(res, 0)
			var exit *ExitError
			if !errors.As(err, &exit) || exit.Code != 1 {
				t.Fatalf("error %v, want an exit 1", err)
			}
			if !strings.HasSuffix(err.Error(), "all 1 requests failed "+c.want) {
				t.Errorf("error %q, want %q", err, c.want)
			}
		})
	}
	empty := metrics.Aggregate(nil, metrics.AggregateOptions{})
	var exit *ExitError
	if err := (&Run{}).check(empty, 0); !errors.As(err, &exit) || exit.Code != 1 || !strings.Contains(err.Error(), "nothing to report") {
		t.Errorf("no records: %v; want exit 1, nothing to report", err)
	}
}
