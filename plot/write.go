package plot

import (
	"fmt"
	"os"
	"path/filepath"

	gonum "gonum.org/v1/plot"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// Dir is the subdirectory of an artifact directory that holds its plots.
const Dir = "plots"

// File names of the charts.
const (
	TTFTOverTimeFile         = "ttft_over_time.png"
	LatencyOverTimeFile      = "request_latency_over_time.png"
	TTFTDistributionFile     = "ttft_distribution.png"
	ITLDistributionFile      = "itl_distribution.png"
	TTFTVsAudioFile          = "ttft_vs_audio_length.png"
	LatencyVsConcurrencyFile = "latency_vs_concurrency.png"
	ThroughputVsPerUserFile  = "throughput_vs_per_user_throughput.png"
)

type chart struct {
	file string
	draw func() (*gonum.Plot, error)
}

// WriteAll writes the charts of one run into artifactDir/plots and returns the
// paths written. A chart without data (TTFT of a non-streamed run, audio
// length without audio) is skipped.
func WriteAll(artifactDir string, recs []*record.Record) ([]string, error) {
	return WriteRun(filepath.Join(artifactDir, Dir), filepath.Base(filepath.Clean(artifactDir)), recs)
}

// WriteRun writes the charts of one run into out, naming the run name in the
// titles, and returns the paths written.
func WriteRun(out, name string, recs []*record.Record) ([]string, error) {
	ss := samplesOf(recs)
	if len(ss) == 0 {
		return nil, fmt.Errorf("plot %s: no profiling records", name)
	}
	suffix := ""
	if name != "" && name != "." {
		suffix = " — " + name
	}
	return write(out, []chart{
		{TTFTOverTimeFile, func() (*gonum.Plot, error) {
			return overTime(ss, metrics.TTFT, "Time to first token over time"+suffix)
		}},
		{LatencyOverTimeFile, func() (*gonum.Plot, error) {
			return overTime(ss, metrics.RequestLatency, "Request latency over time"+suffix)
		}},
		{TTFTDistributionFile, func() (*gonum.Plot, error) {
			return distribution(ss, metrics.TTFT, "Time to first token distribution"+suffix)
		}},
		{ITLDistributionFile, func() (*gonum.Plot, error) {
			return distribution(ss, metrics.ITL, "Inter token latency distribution"+suffix)
		}},
		{TTFTVsAudioFile, func() (*gonum.Plot, error) {
			return ttftVsAudio(ss, "Time to first token against audio length"+suffix)
		}},
	})
}

// WriteComparison writes the charts comparing runs into out and returns the
// paths written.
func WriteComparison(out string, runs []Run) ([]string, error) {
	rs := aggregate(runs)
	return write(out, []chart{
		{LatencyVsConcurrencyFile, func() (*gonum.Plot, error) { return latencyVsConcurrency(rs) }},
		{ThroughputVsPerUserFile, func() (*gonum.Plot, error) { return throughputVsPerUser(rs) }},
	})
}

func write(out string, charts []chart) ([]string, error) {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("plot output: %w", err)
	}
	var written []string
	for _, c := range charts {
		p, err := c.draw()
		if err != nil {
			return written, err
		}
		if p == nil {
			continue
		}
		path := filepath.Join(out, c.file)
		if err := save(p, path); err != nil {
			return written, err
		}
		written = append(written, path)
	}
	return written, nil
}
