package report

import (
	"strconv"

	"github.com/aiperf-exporter/aiperf-exporter/servermetrics"
)

// timeslices is a series' "timeslices" list in server_metrics_export.json, as
// AIPerf writes it with --slice-duration: start_ns and end_ns, then a gauge's
// avg, min and max, a counter's total and rate, or a histogram's count, sum,
// avg and bucket increases; is_complete: false on a slice the window cuts.
// Ours besides: a histogram slice's p*_estimate, and edge_scrapes_ns, the
// [sent, parsed] times of the scrapes a counter's or histogram's increase
// runs between, so a reader can tell what the edges caught.
func timeslices(ts []servermetrics.Timeslice) []*object {
	out := make([]*object, 0, len(ts))
	for _, t := range ts {
		o := &object{}
		o.set("start_ns", t.Start.UnixNano())
		o.set("end_ns", t.End.UnixNano())
		switch {
		case t.Gauge != nil:
			o.set("avg", pyFloat(t.Gauge.Avg))
			o.set("min", pyFloat(t.Gauge.Min))
			o.set("max", pyFloat(t.Gauge.Max))
		case t.Counter != nil:
			o.set("total", pyFloat(t.Counter.Total))
			o.set("rate", pyFloat(t.Counter.Rate))
		case t.Histogram != nil:
			h := t.Histogram
			o.set("count", int64(h.Count))
			o.set("sum", pyFloat(h.Sum))
			o.set("avg", pyFloat(h.Avg))
			if h.Buckets != nil {
				o.set("buckets", bucketObject(h.Buckets))
			}
			for i, p := range servermetrics.Percentiles {
				if i < len(h.Estimates) {
					o.set("p"+strconv.Itoa(p)+"_estimate", pyFloat(h.Estimates[i]))
				}
			}
		}
		if !t.Complete {
			o.set("is_complete", false)
		}
		if t.Gauge == nil {
			o.set("edge_scrapes_ns", [][2]int64{
				{t.From.At.UnixNano(), t.From.Done.UnixNano()},
				{t.To.At.UnixNano(), t.To.Done.UnixNano()},
			})
		}
		out = append(out, o)
	}
	return out
}
