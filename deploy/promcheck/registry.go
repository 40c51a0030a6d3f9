package promcheck

import (
	"fmt"
	"sort"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/aiperf-exporter/aiperf-exporter/collector"
	"github.com/aiperf-exporter/aiperf-exporter/daemon"
)

// FromGatherer builds the catalog from what a registry really exposes. Labels
// named in free are open (any value: scenario, model, target names); every other
// label may only take the values the registry pre-created (outcome, reason, phase).
func FromGatherer(g prometheus.Gatherer, free ...string) (Catalog, error) {
	mfs, err := g.Gather()
	if err != nil {
		return nil, fmt.Errorf("gather: %w", err)
	}
	open := map[string]bool{}
	for _, l := range free {
		open[l] = true
	}
	cat := Catalog{}
	for _, mf := range mfs {
		m := Metric{Name: mf.GetName(), Type: strings.ToLower(mf.GetType().String()), Labels: map[string][]string{}}
		seen := map[string]map[string]bool{}
		for _, s := range mf.GetMetric() {
			for _, lp := range s.GetLabel() {
				if seen[lp.GetName()] == nil {
					seen[lp.GetName()] = map[string]bool{}
				}
				seen[lp.GetName()][lp.GetValue()] = true
			}
		}
		for name, values := range seen {
			if open[name] || mf.GetName() == buildInfo {
				m.Labels[name] = nil
				continue
			}
			for v := range values {
				m.Labels[name] = append(m.Labels[name], v)
			}
			sort.Strings(m.Labels[name])
		}
		if mf.GetType() == dto.MetricType_GAUGE_HISTOGRAM {
			m.Type = "histogram"
		}
		cat[m.Name] = m
	}
	return cat, nil
}

// ExporterCatalog is the catalog of the exporter's real metrics: a fresh
// collector's registry, the daemon's reload and response budget metrics, with
// the probe labels open.
func ExporterCatalog() (Catalog, error) {
	reg := prometheus.NewRegistry()
	if _, err := collector.New(reg, []collector.Scenario{{Name: "default", Models: []string{"m"}, Targets: []string{"t"}, Concurrency: 1}}); err != nil {
		return nil, err
	}
	if err := reg.Register(daemon.ReloadMetrics()); err != nil {
		return nil, err
	}
	if err := reg.Register(collector.NewBudgetCollector(func() (int, int, int) { return 0, 0, 0 })); err != nil {
		return nil, err
	}
	return FromGatherer(reg, "scenario", "model_name", "target")
}
