package profile

import "github.com/aiperf-exporter/aiperf-exporter/options"

// synthesisConfig is input_config.synthesis: the --synthesis-* settings away
// from their defaults, under AIPerf's SynthesisConfig names.
func synthesisConfig(o *options.Options) map[string]any {
	m := map[string]any{}
	putAway(m, "speedup_ratio", o.SynthesisSpeedupRatio, 1)
	putAway(m, "prefix_len_multiplier", o.SynthesisPrefixLenMultiplier, 1)
	putAway(m, "prompt_len_multiplier", o.SynthesisPromptLenMultiplier, 1)
	putAway(m, "output_len_multiplier", o.SynthesisOutputLenMultiplier, 1)
	putAway(m, "prefix_root_multiplier", o.SynthesisPrefixRootMultiplier, 1)
	putAway(m, "max_isl", o.SynthesisMaxISL, 0)
	putAway(m, "max_osl", o.SynthesisMaxOSL, 0)
	return m
}

// putAway sets m[key] to v when v is away from its default def, as
// input_config lists only the settings a run changed.
func putAway[T comparable](m map[string]any, key string, v, def T) {
	if v != def {
		m[key] = v
	}
}
