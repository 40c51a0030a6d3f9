package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/heatmap"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"
	"github.com/grafana/grafana-foundation-sdk/go/units"
)

// datasource points every panel and query at the dashboard's data source variable.
func datasource() common.DataSourceRef {
	typ, uid := "prometheus", "${datasource}"
	return common.DataSourceRef{Type: &typ, Uid: &uid}
}

// query is one PromQL target drawn as a time series.
func query(expr, legend string) *prometheus.DataqueryBuilder {
	return prometheus.NewDataqueryBuilder().
		Datasource(datasource()).
		Expr(expr).
		LegendFormat(legend).
		Range()
}

// series is a time-series panel with a unit and its queries.
func series(title, description, unit string, queries ...*prometheus.DataqueryBuilder) *timeseries.PanelBuilder {
	p := timeseries.NewPanelBuilder().
		Title(title).
		Description(description).
		Datasource(datasource()).
		Unit(unit).
		Min(0).
		Height(8).
		Span(12).
		FillOpacity(10)
	for i, q := range queries {
		p.WithTarget(q.RefId(string(rune('A' + i))))
	}
	return p
}

// quantiles is a panel of p50/p95/p99 of a latency histogram over time.
func quantiles(title, histogram string) *timeseries.PanelBuilder {
	return series(title,
		"p50/p95/p99 per scenario, target and model from the classic buckets of "+histogram+" (client side, seconds).",
		units.Seconds,
		query(quantile("0.5", histogram, sel), legend+" p50"),
		query(quantile("0.95", histogram, sel), legend+" p95"),
		query(quantile("0.99", histogram, sel), legend+" p99"),
		query(mean(histogram, sel), legend+" mean"),
	)
}

// latencyHeatmap is a heatmap of a latency histogram's buckets over time.
func latencyHeatmap(title, histogram string) *heatmap.PanelBuilder {
	return heatmap.NewPanelBuilder().
		Title(title).
		Description("Observations per second in each bucket of " + histogram + ".").
		Datasource(datasource()).
		Unit(units.RequestsPerSecond).
		Height(8).
		Span(12).
		Calculate(false).
		RowsFrame(heatmap.NewRowsHeatmapOptionsBuilder().Layout(common.HeatmapCellLayoutLe)).
		YAxis(heatmap.NewYAxisConfigBuilder().Unit(units.Seconds)).
		Tooltip(heatmap.NewHeatmapTooltipBuilder().Mode(common.TooltipDisplayModeSingle).YHistogram(true)).
		Color(heatmap.NewHeatmapColorOptionsBuilder().
			Mode(heatmap.HeatmapColorModeScheme).
			Scheme("Oranges").
			Scale(heatmap.HeatmapColorScaleExponential).
			Exponent(0.5).
			Steps(64)).
		WithTarget(prometheus.NewDataqueryBuilder().
			Datasource(datasource()).
			RefId("A").
			Expr(rate(histogram+"_bucket", sel, "le")). // all selected series in one heatmap
			Format(prometheus.PromQueryFormatHeatmap).
			LegendFormat("{{le}}").
			Range())
}

// clientVsServer puts one quantile of our histogram beside vLLM's own.
func clientVsServer(title, ours, theirs string) *timeseries.PanelBuilder {
	return series(title,
		"Client-side "+ours+" (this exporter) beside the server-side "+theirs+" (vLLM's /metrics). The gap is network, proxy and queueing outside the engine.",
		units.Seconds,
		query(quantile("0.5", ours, sel), "client "+legend+" p50"),
		query(quantile("0.95", ours, sel), "client "+legend+" p95"),
		query(quantileBy("0.5", theirs, vllmSel, "model_name"), "vLLM {{model_name}} p50"),
		query(quantileBy("0.95", theirs, vllmSel, "model_name"), "vLLM {{model_name}} p95"),
	)
}

// row starts a dashboard row.
func row(title string) *dashboard.RowBuilder {
	return dashboard.NewRowBuilder(title)
}
