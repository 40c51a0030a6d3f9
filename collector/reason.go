package collector

import "github.com/aiperf-exporter/aiperf-exporter/record"

// ReasonOf is the error reason of a failed record: the probe's own classification
// when it set one, else one derived from the record so the label stays bounded.
func ReasonOf(r *record.Record) record.Reason {
	switch {
	case r.Reason != record.ReasonNone:
		return r.Reason
	case r.Cancelled:
		return record.ReasonCancelled
	case r.Error == nil:
		return record.ReasonNoContent
	case r.Error.Code >= 400 && r.Error.Code < 500:
		return record.ReasonHTTP4xx
	case r.Error.Code >= 500 && r.Error.Code < 600:
		return record.ReasonHTTP5xx
	}
	return record.ReasonHTTPOther
}
