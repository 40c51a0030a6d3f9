package options

import (
	"errors"
	"strings"
	"testing"
)

// A bad trace or dataset setting exits 2 with one line naming its flag.
func TestValidateTraceSettings(t *testing.T) {
	tests := []struct {
		args []string
		want string // "" = valid
	}{
		{[]string{"--public-dataset", "librispeech", "--hf-subset", "other"}, ""},
		{[]string{"--public-dataset", "librispeech", "--hf-subset", "clean.v2-b_c"}, ""},
		{[]string{"--hf-subset", "other"}, "--hf-subset (AIPERF_HF_SUBSET): applies only with --public-dataset"},
		{[]string{"--public-dataset", "librispeech", "--hf-subset", "../x"}, `--hf-subset (AIPERF_HF_SUBSET): "../x" is not a subset name`},
		{[]string{"--public-dataset", "librispeech", "--hf-subset", ".."}, `--hf-subset (AIPERF_HF_SUBSET): ".." is not a subset name`},
		{[]string{"--input-file", "t.jsonl", "--synthesis-speedup-ratio", "2"}, ""},
		{[]string{"--input-file", "t.jsonl", "--custom-dataset-type", "mooncake_trace", "--synthesis-max-isl", "9"}, ""},
		{[]string{"--synthesis-max-isl", "9"}, "--synthesis-max-isl (AIPERF_SYNTHESIS_MAX_ISL): needs a mooncake_trace --input-file"},
		{[]string{"--input-file", "t.jsonl", "--custom-dataset-type", "multi_turn", "--synthesis-output-len-multiplier", "2"}, "--synthesis-output-len-multiplier (AIPERF_SYNTHESIS_OUTPUT_LEN_MULTIPLIER): applies only to mooncake_trace input files, not multi_turn"},
		{[]string{"--input-file", "t.jsonl", "--synthesis-prefix-root-multiplier", "70000"}, "--synthesis-prefix-root-multiplier (AIPERF_SYNTHESIS_PREFIX_ROOT_MULTIPLIER): must be between 1 and 65536"},
		{[]string{"--input-file", "t.jsonl", "--synthesis-speedup-ratio", "-1"}, "--synthesis-speedup-ratio (AIPERF_SYNTHESIS_SPEEDUP_RATIO): must not be negative"},
		{[]string{"--input-file", "t.jsonl", "--synthesis-prefix-len-multiplier", "NaN"}, "--synthesis-prefix-len-multiplier (AIPERF_SYNTHESIS_PREFIX_LEN_MULTIPLIER): NaN is not a number"},
	}
	for _, tc := range tests {
		o, err := parse(t, append([]string{"-m", "x"}, tc.args...)...)
		if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		err = o.Validate()
		var oe *Error
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%v: %v", tc.args, err)
		case tc.want != "" && (!errors.As(err, &oe) || !strings.HasPrefix(err.Error(), tc.want) || strings.Contains(err.Error(), "\n")):
			t.Errorf("%v: got %v, want %q", tc.args, err, tc.want)
		}
	}
}
