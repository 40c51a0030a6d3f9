package metrics

import (
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

func TestStatusReason(t *testing.T) {
	for code, want := range map[int]record.Reason{400: record.ReasonHTTP4xx, 429: record.ReasonHTTP4xx, 499: record.ReasonHTTP4xx,
		500: record.ReasonHTTP5xx, 503: record.ReasonHTTP5xx, 599: record.ReasonHTTP5xx, 302: record.ReasonHTTPOther, 600: record.ReasonHTTPOther, 0: record.ReasonHTTPOther} {
		if got := StatusReason(code); got != want {
			t.Errorf("%d: got %q, want %q", code, got, want)
		}
	}
}

func TestReasonOf(t *testing.T) {
	cases := []struct {
		name string
		r    record.Record
		want record.Reason
	}{
		{"probe's own reason wins", record.Record{Reason: record.ReasonTimeout, Error: &record.Error{Code: 500}}, record.ReasonTimeout},
		{"cancelled", record.Record{Cancelled: true, Error: &record.Error{Code: 499}}, record.ReasonCancelled},
		{"404", record.Record{Error: &record.Error{Code: 404}}, record.ReasonHTTP4xx},
		{"503", record.Record{Error: &record.Error{Code: 503}}, record.ReasonHTTP5xx},
		{"no code", record.Record{Error: &record.Error{Message: "x"}}, record.ReasonHTTPOther},
		{"200 without content", record.Record{HTTPStatus: 200}, record.ReasonNoContent},
		{"status 302", record.Record{Error: &record.Error{Code: 302}}, record.ReasonHTTPOther},
	}
	for _, c := range cases {
		if got := ReasonOf(&c.r); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}
