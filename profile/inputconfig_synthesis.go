package profile

import "github.com/aiperf-exporter/aiperf-exporter/options"

// synthesisConfig is input_config.synthesis: the --synthesis-* settings away
// from their defaults, under AIPerf's SynthesisConfig names.
func synthesisConfig(o *options.Options) map[string]any {
	m := map[string]any{}
	set := func(key string, v, def float64) {
		if v != def {
			m[key] = v
		}
	}
	set("speedup_ratio", o.SynthesisSpeedupRatio, 1)
	set("prefix_len_multiplier", o.SynthesisPrefixLenMultiplier, 1)
	set("prompt_len_multiplier", o.SynthesisPromptLenMultiplier, 1)
	set("output_len_multiplier", o.SynthesisOutputLenMultiplier, 1)
	if o.SynthesisPrefixRootMultiplier != 1 {
		m["prefix_root_multiplier"] = o.SynthesisPrefixRootMultiplier
	}
	if o.SynthesisMaxISL != 0 {
		m["max_isl"] = o.SynthesisMaxISL
	}
	if o.SynthesisMaxOSL != 0 {
		m["max_osl"] = o.SynthesisMaxOSL
	}
	return m
}
