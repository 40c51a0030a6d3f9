package dashboards

import "fmt"

// sel selects the exporter's series chosen by the dashboard variables.
const sel = `job=~"$job",instance=~"$instance",scenario=~"$scenario",target=~"$target",model_name=~"$model_name"`

// by is the grouping of the exporter's series: one line per scenario, target
// and model, so two scenarios of one model, or a dead target beside a live
// one, never merge; legend names such a line.
const (
	by     = "scenario, target, model_name"
	legend = "{{scenario}} {{target}} {{model_name}}"
)

// vllmSel selects vLLM's own series for the models chosen on the dashboard.
const vllmSel = `job=~"$vllm_job",instance=~"$vllm_instance",model_name=~"$model_name"`

// rate returns sum by (by) (rate(series{selector}[$__rate_interval])).
func rate(series, selector, by string) string {
	return fmt.Sprintf(`sum by (%s) (rate(%s{%s}[$__rate_interval]))`, by, series, selector)
}

// quantile returns the q-quantile of a classic histogram of ours, per scenario, target and model.
func quantile(q, histogram, selector string) string {
	return quantileBy(q, histogram, selector, by)
}

// quantileBy returns the q-quantile of a classic histogram, grouped by group.
func quantileBy(q, histogram, selector, group string) string {
	return fmt.Sprintf(`histogram_quantile(%s, %s)`, q, rate(histogram+"_bucket", selector, group+", le"))
}

// mean returns the mean observation of a histogram over the rate interval, per scenario, target and model.
func mean(histogram, selector string) string {
	return meanBy(histogram, selector, by)
}

// meanBy returns the mean observation of a histogram over the rate interval, grouped by group.
func meanBy(histogram, selector, group string) string {
	return fmt.Sprintf(`%s / %s`, rate(histogram+"_sum", selector, group), rate(histogram+"_count", selector, group))
}
