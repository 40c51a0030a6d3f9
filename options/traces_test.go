package options

import (
	"slices"
	"strings"
	"testing"
)

// A bad trace or dataset setting exits 2 with one line naming its flag.
func TestValidateTraceSettings(t *testing.T) {
	checkValidate(t, []string{"-m", "x"}, strings.HasPrefix, []argsCase{
		{[]string{"--public-dataset", "librispeech", "--hf-subset", "other"}, ""},
		{[]string{"--public-dataset", "librispeech", "--hf-subset", "clean.v2-b_c"}, ""},
		{[]string{"--hf-subset", "other"}, "--hf-subset (AIPERF_HF_SUBSET): applies only with --public-dataset"},
		{[]string{"--public-dataset", "librispeech", "--hf-subset", "../x"}, `--hf-subset (AIPERF_HF_SUBSET): "../x" is not a subset name`},
		{[]string{"--public-dataset", "librispeech", "--hf-subset", ".."}, `--hf-subset (AIPERF_HF_SUBSET): ".." is not a subset name`},
		{[]string{"--input-file", "t.jsonl", "--synthesis-speedup-ratio", "2"}, ""},
		{[]string{"--input-file", "t.jsonl", "--custom-dataset-type", "mooncake_trace", "--synthesis-max-isl", "9"}, ""},
		{[]string{"--synthesis-max-isl", "9"}, "--synthesis-max-isl (AIPERF_SYNTHESIS_MAX_ISL): needs a mooncake_trace or baseten_trace --input-file"},
		{[]string{"--input-file", "t.jsonl", "--custom-dataset-type", "multi_turn", "--synthesis-output-len-multiplier", "2"}, "--synthesis-output-len-multiplier (AIPERF_SYNTHESIS_OUTPUT_LEN_MULTIPLIER): applies only to trace input files (mooncake_trace, bailian_trace, burst_gpt_trace, baseten_trace), not multi_turn"},
		{[]string{"--input-file", "t.jsonl", "--synthesis-prefix-root-multiplier", "70000"}, "--synthesis-prefix-root-multiplier (AIPERF_SYNTHESIS_PREFIX_ROOT_MULTIPLIER): must be between 1 and 65536"},
		{[]string{"--input-file", "t.jsonl", "--synthesis-speedup-ratio", "-1"}, "--synthesis-speedup-ratio (AIPERF_SYNTHESIS_SPEEDUP_RATIO): must not be negative"},
		{[]string{"--input-file", "t.parquet", "--custom-dataset-type", "baseten_trace", "--synthesis-max-osl", "9", "--synthesis-output-len-multiplier", "2"}, ""},
		{[]string{"--input-file", "t.parquet", "--custom-dataset-type", "baseten_trace", "--synthesis-prompt-len-multiplier", "2"}, "--synthesis-prompt-len-multiplier (AIPERF_SYNTHESIS_PROMPT_LEN_MULTIPLIER): does not apply to baseten_trace"},
		{[]string{"--input-file", "t.parquet", "--trace-session-sample-ratio", "0.5", "--max-idle-gap-cap-seconds", "30", "--replay-speedup", "4", "--omit-kv-hints", "--no-force-min-tokens", "--open-loop-strict"}, ""},
		{[]string{"--input-file", "t.parquet", "--no-open-loop-replay"}, ""},
		{[]string{"--input-file", "t.parquet", "--trace-session-sample-ratio", "1.5"}, "--trace-session-sample-ratio (AIPERF_TRACE_SESSION_SAMPLE_RATIO): must be between 0 and 1, got 1.5"},
		{[]string{"--input-file", "t.parquet", "--replay-speedup", "-2"}, "--replay-speedup (AIPERF_REPLAY_SPEEDUP): must not be negative"},
		{[]string{"--input-file", "t.parquet", "--max-idle-gap-cap-seconds", "inf"}, "--max-idle-gap-cap-seconds (AIPERF_MAX_IDLE_GAP_CAP_SECONDS): must be a finite number"},
		{[]string{"--input-file", "t.parquet", "--open-loop-replay", "--no-open-loop-replay"}, "--no-open-loop-replay (AIPERF_NO_OPEN_LOOP_REPLAY): contradicts --open-loop-replay"},
		{[]string{"--input-file", "t.parquet", "--force-min-tokens", "--no-force-min-tokens"}, "--no-force-min-tokens (AIPERF_NO_FORCE_MIN_TOKENS): contradicts --force-min-tokens"},
		{[]string{"--input-file", "t.parquet", "--open-loop-strict", "--no-open-loop-replay"}, "--open-loop-strict (AIPERF_OPEN_LOOP_STRICT): is open-loop replay, which --no-open-loop-replay turns off"},
		{[]string{"--public-dataset", "librispeech", "--dataset-filter", "harness=x", "--dataset-filter", "split=y"}, ""},
		{[]string{"--dataset-filter", "harness=x"}, "--dataset-filter (AIPERF_DATASET_FILTER): requires --public-dataset"},
		{[]string{"--public-dataset", "librispeech", "--dataset-filter", "harness"}, `--dataset-filter (AIPERF_DATASET_FILTER): "harness": expected non-empty key=value`},
		{[]string{"--public-dataset", "librispeech", "--dataset-filter", "harness="}, `--dataset-filter (AIPERF_DATASET_FILTER): "harness=": expected non-empty key=value`},
		{[]string{"--public-dataset", "librispeech", "--dataset-filter", "harness=a", "--dataset-filter", "harness=b"}, `--dataset-filter (AIPERF_DATASET_FILTER): duplicate key "harness"`},
		{[]string{"--omit-kv-hints"}, "--omit-kv-hints (AIPERF_OMIT_KV_HINTS): needs a baseten_trace --input-file (Parquet)"},
		{[]string{"--input-file", "t.jsonl", "--custom-dataset-type", "mooncake_trace", "--replay-speedup", "2"}, "--replay-speedup (AIPERF_REPLAY_SPEEDUP): applies only to baseten_trace input files, not mooncake_trace"},
		{[]string{"--input-file", "t.jsonl", "--inter-turn-delay-cap-seconds", "60"}, ""},
		{[]string{"--inter-turn-delay-cap-seconds", "60"}, "--inter-turn-delay-cap-seconds (AIPERF_INTER_TURN_DELAY_CAP_SECONDS): needs an --input-file"},
		{[]string{"--input-file", "t.jsonl", "--inter-turn-delay-cap-seconds", "-1"}, "--inter-turn-delay-cap-seconds (AIPERF_INTER_TURN_DELAY_CAP_SECONDS): must not be negative"},
		{[]string{"--input-file", "traces", "--custom-dataset-type", "weka_trace", "--use-think-time-only", "--max-context-length", "9000", "--trace-idle-gap-cap-seconds", "30", "--synthesis-max-osl", "9"}, ""},
		{[]string{"--input-file", "t.jsonl", "--use-think-time-only"}, "--use-think-time-only (AIPERF_USE_THINK_TIME_ONLY): applies only to --custom-dataset-type weka_trace"},
		{[]string{"--input-file", "t.jsonl", "--custom-dataset-type", "mooncake_trace", "--max-context-length", "9"}, "--max-context-length (AIPERF_MAX_CONTEXT_LENGTH): applies only to --custom-dataset-type weka_trace"},
		{[]string{"--input-file", "traces", "--custom-dataset-type", "weka_trace", "--trace-idle-gap-cap-seconds", "-1"}, "--trace-idle-gap-cap-seconds (AIPERF_TRACE_IDLE_GAP_CAP_SECONDS): must not be negative"},
		{[]string{"--input-file", "traces", "--custom-dataset-type", "weka_trace", "--synthesis-speedup-ratio", "2"}, "--synthesis-speedup-ratio (AIPERF_SYNTHESIS_SPEEDUP_RATIO): does not apply to weka_trace"},
		{[]string{"--hf-weka-dataset", "org/traces", "--use-think-time-only", "--synthesis-max-osl", "9", "--inter-turn-delay-cap-seconds", "5"}, ""},
		{[]string{"--hf-weka-dataset", "org/traces", "--input-file", "t.json"}, "--hf-weka-dataset (AIPERF_HF_WEKA_DATASET): cannot be combined with --input-file"},
		{[]string{"--hf-weka-dataset", "org/traces", "--public-dataset", "librispeech"}, "--hf-weka-dataset (AIPERF_HF_WEKA_DATASET): cannot be combined with --public-dataset"},
		{[]string{"--hf-weka-dataset", "org/traces", "--synthesis-max-isl", "9"}, ""},
		{[]string{"--hf-weka-dataset", "org/traces", "--synthesis-prompt-len-multiplier", "2"}, "--synthesis-prompt-len-multiplier (AIPERF_SYNTHESIS_PROMPT_LEN_MULTIPLIER): does not apply to weka_trace"},
		{[]string{"--custom-dataset-type", "weka_trace"}, "--custom-dataset-type (AIPERF_CUSTOM_DATASET_TYPE): weka_trace needs --input-file"},
		{[]string{"--input-file", "t.jsonl", "--synthesis-prefix-len-multiplier", "NaN"}, "--synthesis-prefix-len-multiplier (AIPERF_SYNTHESIS_PREFIX_LEN_MULTIPLIER): NaN is not a number"},
	})
}

// Each trace format's flag finder names the first of its flags the command
// line moves off its default, and nothing at the defaults.
func TestTraceFlagFinders(t *testing.T) {
	finders := map[string]func(*Options) string{
		"synthesis": (*Options).SynthesisFlag, "reshape": (*Options).ReshapeFlag,
		"baseten": (*Options).BasetenFlag, "weka": (*Options).WekaFlag,
	}
	lists := map[string][]string{"synthesis": synthesisFlags, "reshape": reshapeFlags, "baseten": basetenFlags, "weka": wekaFlags}
	for name, find := range finders {
		o := mustParse(t)
		if got := find(o); got != "" || o.Synthesizes() {
			t.Errorf("%s at the defaults: %q (synthesizes %v)", name, got, o.Synthesizes())
		}
		for _, flagName := range lists[name] {
			value := "7"
			if s, _ := Lookup(o, flagName); s.val.IsBoolFlag() {
				value = "true"
			}
			o := mustParse(t, "--"+flagName+"="+value)
			if got := find(o); got != flagName {
				t.Errorf("%s with --%s: %q", name, flagName, got)
			}
			if want := slices.Contains(reshapeFlags, flagName) || flagName == "synthesis-output-len-multiplier"; o.Synthesizes() != want {
				t.Errorf("--%s: synthesizes %v, want %v", flagName, o.Synthesizes(), want)
			}
		}
	}
}
