package inputs

import (
	"errors"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// aiperfCustomDatasetTypes is every --custom-dataset-type value AIPerf's
// newest accepts: the custom_dataset_loader category of
// src/aiperf/plugin/plugins.yaml and the choices docs/cli-options.md lists
// (tracelab is registered as "tracelab"), h_cua_perf (h_cua_perf_file.py's
// usage line) and dynamo_trace (recorded_graph.py's loader identities). The
// last four are loaders of src/aiperf/dataset/loader/ whose registry names we
// could not see, taken from their module names and refused all the same. The
// speed_bench_* family is checked by one name of each shape.
var aiperfCustomDatasetTypes = []string{
	"burst_gpt_trace", "bailian_trace", "baseten_trace", "mooncake_trace",
	"raw_payload", "inputs_json", "dag_jsonl", "sagemaker_data_capture",
	"multi_turn", "random_pool", "single_turn", "weka_trace", "tracelab",
	"h_cua_perf", "dynamo_trace",
	"tracelab_trace", "aa_rwlt", "exgentic", "weka_agent_chains",
	"speed_bench_qualitative", "speed_bench_coding", "speed_bench_throughput_1k",
	"speed_bench_throughput_32k_high_entropy",
}

// Every AIPerf value is either read or refused with a reason; none is
// "unknown", and a value AIPerf lacks still is.
func TestEveryAIPerfDatasetTypeIsKnown(t *testing.T) {
	built := map[string]bool{}
	for _, k := range builtTypes {
		built[k] = true
	}
	for _, kind := range aiperfCustomDatasetTypes {
		err := checkType(kind)
		var oe *options.Error
		switch {
		case built[kind] && err != nil:
			t.Errorf("%s is built but refused: %v", kind, err)
		case !built[kind] && (!errors.As(err, &oe) || oe.Flag != "custom-dataset-type" || strings.Contains(err.Error(), "unknown") || !strings.Contains(err.Error(), kind+" ")):
			t.Errorf("%s: want a refusal naming it with a reason, got %v", kind, err)
		}
	}
	if err := checkType("chat"); err == nil || !strings.Contains(err.Error(), `unknown type "chat"`) {
		t.Errorf("chat: %v", err)
	}
	for k := range refusedTypes {
		if built[k] {
			t.Errorf("%s is both built and refused", k)
		}
	}
}

// The --synthesis-* flags reshape trace files only, whether the type is named
// or inferred (these types skip the line-by-line loader that also checks it).
func TestSynthesisRefusedForVerbatimTypes(t *testing.T) {
	for _, file := range []string{"testdata/sagemaker", "testdata/inputs_json/inputs.json", "testdata/raw_payload/conversations", "testdata/raw_payload/requests.jsonl"} {
		wantBuildError(t, "--synthesis-speedup-ratio (AIPERF_SYNTHESIS_SPEEDUP_RATIO): applies only to trace input files", "-m", "x", "--input-file", file, "--synthesis-speedup-ratio", "2")
	}
}
