package inputs

import (
	"encoding/json"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// WekaLoader names AIPerf's loader when the options replay Weka traces:
// weka_hf for --hf-weka-dataset, weka_trace for an --input-file of them
// (given or inferred); "" otherwise. AIPerf's scenarios require one.
func WekaLoader(o *options.Options) string {
	switch {
	case o.HFWekaDataset != "":
		return "weka_hf"
	case o.InputFile == "":
		return ""
	case o.CustomDatasetType == TypeWeka, o.CustomDatasetType == "" && looksWeka(o.InputFile):
		return TypeWeka
	}
	return ""
}

// ExtraInput is the value --extra-inputs gives key (the last one), nil when
// none does.
func ExtraInput(entries []string, key string) (json.RawMessage, error) {
	fields, err := parseExtraInputs(entries)
	if err != nil {
		return nil, err
	}
	var v json.RawMessage
	for _, f := range fields {
		if f.Key == key {
			v = f.Value
		}
	}
	return v, nil
}

// looksWeka is sniffWeka's verdict alone.
func looksWeka(path string) bool {
	_, _, ok := sniffWeka(path, maxInputDirBytes)
	return ok
}
