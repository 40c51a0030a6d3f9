package dashboards

import "fmt"

// sel selects the exporter's series chosen by the dashboard variables.
const sel = `job=~"$job",instance=~"$instance",scenario=~"$scenario",model_name=~"$model_name"`

// vllmSel selects vLLM's own series for the models chosen on the dashboard.
const vllmSel = `job=~"$vllm_job",instance=~"$vllm_instance",model_name=~"$model_name"`

// rate returns sum by (by) (rate(series{selector}[$__rate_interval])).
func rate(series, selector, by string) string {
	return fmt.Sprintf(`sum by (%s) (rate(%s{%s}[$__rate_interval]))`, by, series, selector)
}

// quantile returns the q-quantile of a classic histogram, per model.
func quantile(q, histogram, selector string) string {
	return fmt.Sprintf(`histogram_quantile(%s, %s)`, q, rate(histogram+"_bucket", selector, "model_name, le"))
}

// mean returns the mean observation of a histogram over the rate interval, per model.
func mean(histogram, selector string) string {
	return fmt.Sprintf(`%s / %s`, rate(histogram+"_sum", selector, "model_name"), rate(histogram+"_count", selector, "model_name"))
}
