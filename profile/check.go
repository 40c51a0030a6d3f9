package profile

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// check returns nil unless nothing is left to report (no request finished,
// or every one was dropped for ending late), every request failed, or more
// failed than --failed-request-threshold allows: then an exit 1 error saying so.
func (r *Run) check(res *metrics.Result, dropped int) error {
	total := res.Valid + res.Invalid
	switch {
	case total == 0 && dropped > 0:
		return exit(1, fmt.Errorf("nothing to report: all %d request(s) were still running at "+
			"--benchmark-duration + --benchmark-grace-period and were dropped", dropped))
	case total == 0:
		return exit(1, errors.New("nothing to report: no request finished"))
	case res.Valid == 0:
		reason := "no content"
		if len(res.Errors) > 0 {
			reason = errorReason(res.Errors[0].Error)
		}
		return exit(1, fmt.Errorf("all %d requests failed (%s)", total, reason))
	case r.thresholdGiven() && float64(res.Invalid)/float64(total) > r.p.FailedRequestThreshold:
		return exit(1, fmt.Errorf("%d of %d requests failed, above --failed-request-threshold %g",
			res.Invalid, total, r.p.FailedRequestThreshold))
	}
	return nil
}

// errorReason is "code type: message", leaving out a code of 0 and an empty
// type as the error summary shows them as N/A.
func errorReason(e record.Error) string {
	var head []string
	if e.Code != 0 {
		head = append(head, strconv.Itoa(e.Code))
	}
	if e.Type != "" {
		head = append(head, e.Type)
	}
	if len(head) == 0 {
		return truncate(e.Message, 200)
	}
	return strings.Join(head, " ") + ": " + truncate(e.Message, 200)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
