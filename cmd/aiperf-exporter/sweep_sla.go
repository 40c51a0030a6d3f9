package main

import (
	"fmt"

	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/sweep"
)

// derivedMetrics are the tags an SLA may name beside the metrics of a run's
// export: the figures sweep derives from its counts, as AIPerf's metrics do.
var derivedMetrics = map[string]bool{"request_error_rate": true, "good_request_fraction": true}

// searchSLAs reads --search-sla, AIPerf's "metric_tag:stat:op:threshold"
// filters. A tag that names no metric, or a statistic a one-value metric
// lacks, is refused before the runs: that SLA would fail every setting.
func searchSLAs(p options.Profile) ([]sweep.SLAFilter, error) {
	var out []sweep.SLAFilter
	for _, v := range p.SearchSLA {
		f, err := sweep.ParseSLA(v)
		if err != nil {
			return nil, &options.Error{Flag: "search-sla", Msg: err.Error()}
		}
		if err := checkSLA(f); err != nil {
			return nil, &options.Error{Flag: "search-sla", Msg: fmt.Sprintf("%s: %v", clip.Quote(v), err)}
		}
		out = append(out, f)
	}
	return out, nil
}

// checkSLA refuses an SLA no run can meet: a tag that names no metric, or
// a statistic a one-value metric lacks.
func checkSLA(f sweep.SLAFilter) error {
	d, known := metrics.Lookup(f.Metric)
	switch {
	case !known && !derivedMetrics[f.Metric]:
		return fmt.Errorf("%s is not a metric tag (e.g. time_to_first_token, request_error_rate)", clip.Quote(f.Metric))
	case (derivedMetrics[f.Metric] || d.Has(metrics.AggregateMetric)) && f.Stat != "avg":
		return fmt.Errorf("%s has one value per run: its stat is avg", f.Metric)
	}
	return nil
}
