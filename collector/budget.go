package collector

import "github.com/prometheus/client_golang/prometheus"

// BudgetState reports the client's process-wide response budget: the bytes
// held now, its limit, and the reservations refused so far
// (probe.ResponseBudgetState).
type BudgetState func() (held, limit, refusals int)

// budgetCollector exposes a BudgetState, read at each scrape: the budget lives
// in the probe and is shared by every scenario, so it has no probe labels.
type budgetCollector struct {
	state                 BudgetState
	held, limit, refusals *prometheus.Desc
}

// NewBudgetCollector returns the collector of the response budget's metrics.
func NewBudgetCollector(state BudgetState) prometheus.Collector {
	return &budgetCollector{
		state: state,
		held: prometheus.NewDesc("aiperf_exporter_response_budget_held_bytes",
			"Response bytes held now by requests whose buffers grew past 1 MiB (--response-budget-mib).", nil, nil),
		limit: prometheus.NewDesc("aiperf_exporter_response_budget_limit_bytes",
			"Limit of the response bytes all requests in flight may hold together (--response-budget-mib).", nil, nil),
		refusals: prometheus.NewDesc("aiperf_exporter_response_budget_refusals_total",
			"Requests ended because their response did not fit in the response budget.", nil, nil),
	}
}

func (c *budgetCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.held
	ch <- c.limit
	ch <- c.refusals
}

func (c *budgetCollector) Collect(ch chan<- prometheus.Metric) {
	held, limit, refusals := c.state()
	ch <- prometheus.MustNewConstMetric(c.held, prometheus.GaugeValue, float64(held))
	ch <- prometheus.MustNewConstMetric(c.limit, prometheus.GaugeValue, float64(limit))
	ch <- prometheus.MustNewConstMetric(c.refusals, prometheus.CounterValue, float64(refusals))
}
