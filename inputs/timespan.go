package inputs

import (
	"fmt"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// maxTraceSpan is the README's 100-year rule applied to a trace: a replay
// waits from its first timestamp to its last, and time.Duration and Unix
// nanoseconds overflow soon after a century.
const maxTraceSpan = 100 * 365 * 24 * time.Hour

// checkTimeSpan refuses a dataset whose timestamps span more than
// maxTraceSpan, naming its source and the earliest and latest turns. Every
// loader with timestamps (mooncake, bailian, burstgpt, sagemaker, baseten,
// weka, single_turn and multi_turn) is checked here, once, on what it built.
func checkTimeSpan(source string, d *Dataset) error {
	type at struct{ conv, turn int }
	var lo, hi *Turn
	var loAt, hiAt at
	for i := range d.Conversations {
		for j := range d.Conversations[i].Turns {
			t := &d.Conversations[i].Turns[j]
			if !t.HasTimestamp {
				continue
			}
			if lo == nil || t.Timestamp < lo.Timestamp {
				lo, loAt = t, at{i, j}
			}
			if hi == nil || t.Timestamp > hi.Timestamp {
				hi, hiAt = t, at{i, j}
			}
		}
	}
	if lo == nil || hi.Timestamp-lo.Timestamp <= maxTraceSpan {
		return nil
	}
	return fmt.Errorf("%s: its timestamps span more than 100 years (%.0f days, from conversation %d turn %d to conversation %d turn %d), which a replay would wait out",
		source, (hi.Timestamp-lo.Timestamp).Hours()/24, loAt.conv+1, loAt.turn+1, hiAt.conv+1, hiAt.turn+1)
}

// datasetSource names where a dataset with timestamps came from.
func datasetSource(o *options.Options) string {
	switch {
	case o.InputFile != "":
		return "--input-file " + o.InputFile
	case o.HFWekaDataset != "":
		return "--hf-weka-dataset " + o.HFWekaDataset
	}
	return "--public-dataset " + o.PublicDataset
}
