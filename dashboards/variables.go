package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// labelValues is a multi-value query variable over label_values().
func labelValues(name, label, query string) *dashboard.QueryVariableBuilder {
	q := query
	return dashboard.NewQueryVariableBuilder(name).
		Label(label).
		Datasource(datasource()).
		Query(dashboard.StringOrMap{String: &q}).
		Definition(q).
		Refresh(dashboard.VariableRefreshOnTimeRangeChanged).
		Sort(dashboard.VariableSortAlphabeticalAsc).
		Multi(true).
		IncludeAll(true).
		AllValue(".*")
}

func variables() []cog.Builder[dashboard.VariableModel] {
	return []cog.Builder[dashboard.VariableModel]{
		dashboard.NewDatasourceVariableBuilder("datasource").Label("Data source").Type("prometheus"),
		labelValues("job", "Job", `label_values(aiperf_exporter_build_info, job)`),
		labelValues("instance", "Instance", `label_values(aiperf_exporter_build_info{job=~"$job"}, instance)`),
		labelValues("scenario", "Scenario", `label_values(aiperf_requests_total{job=~"$job",instance=~"$instance"}, scenario)`),
		labelValues("target", "Target", `label_values(aiperf_requests_total{job=~"$job",instance=~"$instance",scenario=~"$scenario"}, target)`),
		labelValues("model_name", "Model", `label_values(aiperf_requests_total{job=~"$job",instance=~"$instance",scenario=~"$scenario",target=~"$target"}, model_name)`),
		labelValues("vllm_job", "vLLM job", `label_values(vllm:time_to_first_token_seconds_count, job)`),
		labelValues("vllm_instance", "vLLM instance", `label_values(vllm:time_to_first_token_seconds_count{job=~"$vllm_job"}, instance)`),
		labelValues("dcgm_job", "DCGM job", `label_values(DCGM_FI_DEV_GPU_UTIL, job)`),
		labelValues("dcgm_instance", "DCGM instance", `label_values(DCGM_FI_DEV_GPU_UTIL{job=~"$dcgm_job"}, instance)`),
	}
}
