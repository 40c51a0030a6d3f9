package inputs

import (
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

func TestWekaLoader(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    options.Options
		want string
	}{
		{"hub dataset", options.Options{HFWekaDataset: "org/traces"}, "weka_hf"},
		{"inferred from the file", options.Options{InputFile: "testdata/weka/traces/trace_a.json"}, TypeWeka},
		{"given type", options.Options{InputFile: "x.json", CustomDatasetType: TypeWeka}, TypeWeka},
		{"another file", options.Options{InputFile: "testdata/multi_turn.jsonl"}, ""},
		{"synthetic", options.Options{}, ""},
	} {
		if got := WekaLoader(&tc.o); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestExtraInput(t *testing.T) {
	for _, tc := range []struct {
		entries []string
		want    string
	}{
		{nil, ""},
		{[]string{"temperature:0.1"}, ""},
		{[]string{"ignore_eos:false"}, "false"},
		{[]string{`{"ignore_eos":true}`, "ignore_eos:0"}, "0"},
	} {
		got, err := ExtraInput(tc.entries, "ignore_eos")
		if err != nil || string(got) != tc.want {
			t.Errorf("%q: %s %v, want %s", tc.entries, got, err, tc.want)
		}
	}
}
