package options

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
)

// subsetName is what a Hub dataset config may be called: one folder name of
// the parquet conversion.
var subsetName = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// maxPrefixRoots bounds --synthesis-prefix-root-multiplier: each root shifts a
// line's hash ids by a multiple of the trace's largest one, which must not overflow.
const maxPrefixRoots = 1 << 16

// The flags each trace format alone takes, in the order their refusals name
// them: the --synthesis-* ones that reshape prompts or timestamps (refused for
// baseten traces, as AIPerf: their prompts are sent as recorded), the other
// --synthesis-* ones, and the baseten-only and Weka-only ones.
var (
	reshapeFlags   = []string{"synthesis-speedup-ratio", "synthesis-prefix-len-multiplier", "synthesis-prefix-root-multiplier", "synthesis-prompt-len-multiplier"}
	synthesisFlags = append(slices.Clone(reshapeFlags), "synthesis-output-len-multiplier", "synthesis-max-isl", "synthesis-max-osl")
	basetenFlags   = []string{"trace-session-sample-ratio", "max-idle-gap-cap-seconds", "replay-speedup", "no-open-loop-replay", "open-loop-strict", "omit-kv-hints", "no-force-min-tokens"}
	wekaFlags      = []string{"use-think-time-only", "max-context-length", "trace-idle-gap-cap-seconds"}
)

// Synthesizes reports whether any --synthesis-* reshaping setting is away from
// its default (--synthesis-max-isl/-osl alone filter and cap, as AIPerf's loader).
func (o *Options) Synthesizes() bool {
	return o.ReshapeFlag() != "" || o.firstAway("synthesis-output-len-multiplier") != ""
}

// SynthesisFlag is the first --synthesis-* flag away from its default, or "".
func (o *Options) SynthesisFlag() string { return o.firstAway(synthesisFlags...) }

// ReshapeFlag is the first --synthesis-* flag away from its default that
// reshapes prompts or timestamps, or "".
func (o *Options) ReshapeFlag() string { return o.firstAway(reshapeFlags...) }

// BasetenFlag is the first baseten-only flag away from its default, or "".
func (o *Options) BasetenFlag() string { return o.firstAway(basetenFlags...) }

// WekaFlag is the first Weka-only flag away from its default, or "".
func (o *Options) WekaFlag() string { return o.firstAway(wekaFlags...) }

// firstAway is the first of flags whose setting in o is away from its
// default (its tag's, else the zero value), or "".
func (o *Options) firstAway(flags ...string) string {
	fields := walk(o)
	for _, name := range flags {
		i := slices.IndexFunc(fields, func(f field) bool { return f.flag == name })
		if i < 0 {
			panic("options: no flag --" + name)
		}
		f := fields[i]
		def := reflect.New(f.value.Type()).Elem()
		if f.hasDef {
			if err := (&fieldValue{v: def}).Set(f.def); err != nil {
				panic(fmt.Sprintf("options: default of --%s: %v", name, err))
			}
		}
		if !reflect.DeepEqual(f.value.Interface(), def.Interface()) {
			return name
		}
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
			return bad("hf-subset", "%s is not a subset name (letters, digits, '.', '_' and '-')", clip.Quote(o.HFSubset))
		}
	}
	if err := o.validateDatasetFilters(); err != nil {
		return err
	}
	if err := o.validateBaseten(); err != nil {
		return err
	}
	if o.HFWekaDataset != "" {
		switch {
		case o.InputFile != "":
			return bad("hf-weka-dataset", "cannot be combined with --input-file")
		case o.PublicDataset != "":
			return bad("hf-weka-dataset", "cannot be combined with --public-dataset")
		case o.CustomDatasetType != "" && o.CustomDatasetType != "weka_trace":
			return bad("hf-weka-dataset", "is weka_trace, not %s", o.CustomDatasetType)
		}
	}
	if o.CustomDatasetType == "weka_trace" && o.InputFile == "" && o.HFWekaDataset == "" {
		return bad("custom-dataset-type", "weka_trace needs --input-file (a trace file or directory) or --hf-weka-dataset")
	}
	if f := o.WekaFlag(); f != "" && o.CustomDatasetType != "weka_trace" && o.HFWekaDataset == "" {
		return bad(f, "applies only to --custom-dataset-type weka_trace or --hf-weka-dataset")
	}
	if o.InterTurnDelayCap != 0 && o.InputFile == "" && o.HFWekaDataset == "" {
		// As AIPerf: the cap clamps delays a file records, synthetic data has none.
		return bad("inter-turn-delay-cap-seconds", "needs an --input-file (it caps the delays the file records)")
	}
	if f := o.SynthesisFlag(); f != "" {
		// As AIPerf: synthesis reshapes trace files only.
		switch {
		case (o.CustomDatasetType == "weka_trace" || o.HFWekaDataset != "") && f != "synthesis-max-osl" && f != "synthesis-max-isl":
			return bad(f, "does not apply to weka_trace (only --synthesis-max-isl and --synthesis-max-osl do)")
		case o.HFWekaDataset != "":
		case o.InputFile == "":
			return bad(f, "needs a mooncake_trace or baseten_trace --input-file")
		case o.CustomDatasetType == "baseten_trace" && o.ReshapeFlag() != "":
			return bad(o.ReshapeFlag(), "does not apply to baseten_trace, whose prompts are sent as recorded (--replay-speedup speeds up its time)")
		case o.CustomDatasetType != "" && o.CustomDatasetType != "mooncake_trace" && o.CustomDatasetType != "baseten_trace" && o.CustomDatasetType != "weka_trace" &&
			o.CustomDatasetType != "bailian_trace" && o.CustomDatasetType != "burst_gpt_trace":
			return bad(f, "applies only to trace input files (mooncake_trace, bailian_trace, burst_gpt_trace, baseten_trace), not %s", o.CustomDatasetType)
		}
	}
	return nil
}

// validateBaseten checks the baseten trace settings.
func (o *Options) validateBaseten() error {
	switch {
	case o.TraceSessionSampleRatio > 1:
		return bad("trace-session-sample-ratio", "must be between 0 and 1, got %g", o.TraceSessionSampleRatio)
	case o.NoOpenLoopReplay && o.OpenLoopReplay:
		return bad("no-open-loop-replay", "contradicts --open-loop-replay")
	case o.NoForceMinTokens && o.ForceMinTokens:
		return bad("no-force-min-tokens", "contradicts --force-min-tokens")
	case o.OpenLoopStrict && o.NoOpenLoopReplay:
		return bad("open-loop-strict", "is open-loop replay, which --no-open-loop-replay turns off")
	}
	if f := o.BasetenFlag(); f != "" {
		switch {
		case o.InputFile == "":
			return bad(f, "needs a baseten_trace --input-file (Parquet)")
		case o.CustomDatasetType != "" && o.CustomDatasetType != "baseten_trace":
			return bad(f, "applies only to baseten_trace input files, not %s", o.CustomDatasetType)
		}
	}
	return nil
}

// validateDatasetFilters checks --dataset-filter as AIPerf does before asking
// the dataset: key=value entries, each key once, only with --public-dataset.
func (o *Options) validateDatasetFilters() error {
	if len(o.DatasetFilter) == 0 {
		return nil
	}
	if o.PublicDataset == "" {
		return bad("dataset-filter", "requires --public-dataset")
	}
	seen := map[string]bool{}
	for _, f := range o.DatasetFilter {
		k, v, ok := strings.Cut(f, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case !ok || k == "" || v == "":
			return bad("dataset-filter", "%s: expected non-empty key=value", clip.Quote(f))
		case seen[k]:
			return bad("dataset-filter", "duplicate key %s", clip.Quote(k))
		}
		seen[k] = true
	}
	return nil
}
