package options

import (
	"regexp"
	"strings"
)

// subsetName is what a Hub dataset config may be called: one folder name of
// the parquet conversion.
var subsetName = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// maxPrefixRoots bounds --synthesis-prefix-root-multiplier: each root shifts a
// line's hash ids by a multiple of the trace's largest one, which must not overflow.
const maxPrefixRoots = 1 << 16

// Synthesizes reports whether any --synthesis-* reshaping setting is away from
// its default (--synthesis-max-isl/-osl alone filter and cap, as AIPerf's loader).
func (o *Options) Synthesizes() bool {
	return o.SynthesisSpeedupRatio != 1 || o.SynthesisPrefixLenMultiplier != 1 ||
		o.SynthesisPrefixRootMultiplier != 1 || o.SynthesisPromptLenMultiplier != 1 ||
		o.SynthesisOutputLenMultiplier != 1
}

// SynthesisFlag is the first --synthesis-* flag away from its default, or "".
func (o *Options) SynthesisFlag() string {
	switch {
	case o.SynthesisSpeedupRatio != 1:
		return "synthesis-speedup-ratio"
	case o.SynthesisPrefixLenMultiplier != 1:
		return "synthesis-prefix-len-multiplier"
	case o.SynthesisPrefixRootMultiplier != 1:
		return "synthesis-prefix-root-multiplier"
	case o.SynthesisPromptLenMultiplier != 1:
		return "synthesis-prompt-len-multiplier"
	case o.SynthesisOutputLenMultiplier != 1:
		return "synthesis-output-len-multiplier"
	case o.SynthesisMaxISL != 0:
		return "synthesis-max-isl"
	case o.SynthesisMaxOSL != 0:
		return "synthesis-max-osl"
	}
	return ""
}

// validateTraces checks the trace settings (negative numbers, NaN and
// infinities are CheckNumbers' to refuse).
func (o *Options) validateTraces() error {
	if o.SynthesisPrefixRootMultiplier < 1 || o.SynthesisPrefixRootMultiplier > maxPrefixRoots {
		return bad("synthesis-prefix-root-multiplier", "must be between 1 and %d, got %d", maxPrefixRoots, o.SynthesisPrefixRootMultiplier)
	}
	if o.HFSubset != "" {
		switch {
		case o.PublicDataset == "":
			return bad("hf-subset", "applies only with --public-dataset")
		case !subsetName.MatchString(o.HFSubset) || strings.Trim(o.HFSubset, ".") == "":
			return bad("hf-subset", "%q is not a subset name (letters, digits, '.', '_' and '-')", o.HFSubset)
		}
	}
	if f := o.SynthesisFlag(); f != "" {
		// As AIPerf: synthesis reshapes trace files only.
		switch {
		case o.InputFile == "":
			return bad(f, "needs a mooncake_trace --input-file")
		case o.CustomDatasetType != "" && o.CustomDatasetType != "mooncake_trace":
			return bad(f, "applies only to mooncake_trace input files, not %s", o.CustomDatasetType)
		}
	}
	return nil
}
