package metrics

import "github.com/aiperf-exporter/aiperf-exporter/record"

// StatusReason is the error reason of a reply with a non-200 HTTP status.
func StatusReason(code int) record.Reason {
	switch {
	case code >= 400 && code < 500:
		return record.ReasonHTTP4xx
	case code >= 500 && code < 600:
		return record.ReasonHTTP5xx
	default:
		return record.ReasonHTTPOther
	}
}

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
	}
	return StatusReason(r.Error.Code)
}
