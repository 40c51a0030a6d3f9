package sweep

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
)

// pooledFigure is AIPerf's pooled percentile (--search-percentile-pooling
// pooled): the statistic over every request of every trial's records
// (each dir's JSONL file) together, instead of the mean of the trials'
// percentiles. False when a trial has no records file or no value, so the
// caller falls back to the mean, as AIPerf does.
func pooledFigure(dirs []string, jsonl, metric, stat string) (float64, bool) {
	var values []float64
	for _, dir := range dirs {
		f, err := os.Open(filepath.Join(dir, jsonl))
		if err != nil {
			return 0, false
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
		for sc.Scan() {
			var rec struct {
				Metadata struct {
					Phase string `json:"benchmark_phase"`
				} `json:"metadata"`
				Metrics map[string]struct {
					Value json.RawMessage `json:"value"`
				} `json:"metrics"`
			}
			if json.Unmarshal(sc.Bytes(), &rec) != nil || (rec.Metadata.Phase != "" && rec.Metadata.Phase != "profiling") {
				continue
			}
			m, ok := rec.Metrics[metric]
			if !ok {
				continue
			}
			var one float64
			var many []float64
			switch {
			case json.Unmarshal(m.Value, &one) == nil:
				values = append(values, one)
			case json.Unmarshal(m.Value, &many) == nil: // a list metric: every sample
				values = append(values, many...)
			}
		}
		f.Close()
		if sc.Err() != nil { // a line past the scanner's bound: not every value was read
			return 0, false
		}
	}
	if len(values) == 0 {
		return 0, false
	}
	return metrics.Summarize(values).Stat(stat)
}
