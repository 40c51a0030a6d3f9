package probe_test

import (
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
)

// A public dataset is walked in its order unless a strategy is given, as
// AIPerf's public loaders prefer sequential sampling; other sources keep
// the unset default.
func TestPublicDatasetSamplesSequentially(t *testing.T) {
	for _, tc := range []struct {
		public, strategy, want string
	}{
		{"sharegpt", "", probe.SamplingSequential},
		{"librispeech", "", probe.SamplingSequential},
		{"sharegpt", "shuffle", probe.SamplingShuffle},
		{"", "", ""},
	} {
		o := &options.Options{URLs: []string{"http://127.0.0.1:1"}, EndpointType: "chat", RequestTimeout: 1,
			PublicDataset: tc.public, DatasetSamplingStrategy: tc.strategy}
		cfg, err := probe.ConfigFrom(o, "t")
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Sampling != tc.want {
			t.Errorf("--public-dataset %q --dataset-sampling-strategy %q: sampling %q, want %q", tc.public, tc.strategy, cfg.Sampling, tc.want)
		}
	}
}
