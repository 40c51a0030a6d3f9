package otel

import (
	"math"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
)

// Bucket bounds of the GenAI semantic conventions' metrics.
var (
	durationBounds = []float64{0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92}
	chunkBounds    = []float64{0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.12, 0.14, 0.16, 0.18, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.75, 1, 2, 5}
	tokenBounds    = []float64{1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216}
	// sdkBounds are the OpenTelemetry SDKs' default bounds, which AIPerf's
	// aiperf.* histograms get.
	sdkBounds = []float64{0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000}
)

// genAI are the metrics with a GenAI semantic-convention name, as AIPerf
// maps them (src/aiperf/post_processors/strategies/genai_semconv.py).
var genAI = map[string]struct {
	name, unit string
	bounds     []float64
}{
	metrics.RequestLatency:   {"gen_ai.client.operation.duration", "s", durationBounds},
	metrics.TTFT:             {"gen_ai.client.operation.time_to_first_chunk", "s", chunkBounds},
	metrics.ITL:              {"gen_ai.client.operation.time_per_output_chunk", "s", chunkBounds},
	metrics.OutputTokenCount: {"gen_ai.client.token.usage", "{token}", tokenBounds},
}

// instrument names the histogram of a per-request metric tag, its unit, its
// bucket bounds and the factor from our display unit to its unit: seconds
// for the GenAI durations, nanoseconds (AIPerf's record unit) for the other
// times.
func instrument(tag string) (name, unit string, bounds []float64, scale float64) {
	def, _ := metrics.Lookup(tag)
	if g, ok := genAI[tag]; ok {
		scale = 1
		if def.Unit == "ms" {
			scale = 1e-3
		}
		return g.name, g.unit, g.bounds, scale
	}
	if def.Unit == "ms" {
		return "aiperf." + tag, "ns", sdkBounds, 1e6
	}
	unit = def.Unit
	if unit == "" {
		unit = "1"
	}
	return "aiperf." + tag, unit, sdkBounds, 1
}

// histogram is one cumulative explicit-bucket histogram series.
type histogram struct {
	name, unit string
	attrs      []keyValue
	bounds     []float64
	counts     []uint64 // len(bounds)+1; counts[i] holds values <= bounds[i] and > bounds[i-1]
	count      uint64
	sum        float64
	min, max   float64
}

func (h *histogram) observe(v float64) {
	i := 0
	for i < len(h.bounds) && v > h.bounds[i] {
		i++
	}
	h.counts[i]++
	if h.count == 0 {
		h.min, h.max = v, v
	}
	h.min, h.max = math.Min(h.min, v), math.Max(h.max, v)
	h.count++
	h.sum += v
}
