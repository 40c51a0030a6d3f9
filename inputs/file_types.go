package inputs

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// refusedTypes are the --custom-dataset-type values AIPerf accepts that we
// do not, each with the reason given to whoever asks for it.
var refusedTypes = map[string]string{
	"dag_jsonl":         "needs DAG prerequisites (forks and spawned subagents), which our engine lacks",
	"tracelab":          "needs spawned subagent sessions (SPAWN/SPAWN_JOIN prerequisites), which our engine lacks",
	"tracelab_trace":    "needs spawned subagent sessions (SPAWN/SPAWN_JOIN prerequisites), which our engine lacks",
	"weka_agent_chains": "needs spawned subagent chains, which our engine lacks",
	"dynamo_trace":      "replays Dynamo request traces as a recorded request graph (AIPerf's Rust runner only), which our engine lacks",
	"exgentic":          "replays Exgentic agent runs, not yet supported",
	"h_cua_perf":        "replays an H CUA Perf build (a .jsonl.zst of mooncake rows with its sha256 manifest), not yet supported",
	"aa_rwlt":           "replays Artificial Analysis real-world long-tail traces, not yet supported",
	"speed_bench_*":     "is not read as an --input-file here; --public-dataset speed_bench_* reads AIPerf's prepared SPEED-Bench file",
}

// builtTypes are the --custom-dataset-type values we read.
var builtTypes = []string{TypeSingleTurn, TypeMultiTurn, TypeRandomPool, TypeMooncake, TypeBaseten, TypeWeka, TypeBailian, TypeBurstGPT, TypeInputsJSON, TypeRawPayload, TypeSageMaker}

// checkType refuses a --custom-dataset-type we do not read: with AIPerf's
// reason when AIPerf has it, as unknown otherwise.
func checkType(kind string) error {
	for _, t := range builtTypes {
		if kind == "" || kind == t {
			return nil
		}
	}
	key := kind
	if strings.HasPrefix(kind, "speed_bench_") {
		key = "speed_bench_*"
	}
	if why, ok := refusedTypes[key]; ok {
		return &options.Error{Flag: "custom-dataset-type", Msg: fmt.Sprintf("%s %s", kind, why)}
	}
	known := append([]string(nil), builtTypes...)
	sort.Strings(known)
	return &options.Error{Flag: "custom-dataset-type", Msg: fmt.Sprintf("unknown type %s (want %s)", quoted(kind), strings.Join(known, ", "))}
}
