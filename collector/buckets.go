package collector

import (
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Classic bucket layouts. Each latency layout contains vLLM's own edges (vllm/v1/metrics/loggers.py)
// so our client-side view lines up with the server's, plus finer edges where an audio model needs them.
var (
	// vLLM's vllm:time_to_first_token_seconds edges.
	vllmTTFT = []float64{0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75,
		1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0}
	// vLLM's vllm:inter_token_latency_seconds (and time_per_output_token) edges.
	vllmITL = []float64{0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75,
		1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0}
	// vLLM's vllm:e2e_request_latency_seconds edges.
	vllmE2E = []float64{0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0,
		40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0}

	// TTFTBuckets adds edges between 100 ms and 1 s, where audio encoding puts most first tokens.
	TTFTBuckets = merge(vllmTTFT, []float64{0.15, 0.2, 0.3, 0.4, 0.6, 1.5, 2.0})
	// ITLBuckets adds sub-10 ms edges: small audio-capable models stream faster than vLLM's first edge.
	ITLBuckets = merge(vllmITL, []float64{0.001, 0.0025, 0.005, 0.0075, 0.015, 0.02})
	// LatencyBuckets adds edges below 300 ms for short clips and short answers.
	LatencyBuckets = merge(vllmE2E, []float64{0.05, 0.1, 0.2})
	// LagBuckets covers the schedule lag, from sub-millisecond to a saturated client.
	LagBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}
	// PhaseBuckets covers HTTP phases, from a loopback connect to a slow first byte, in a
	// 1-2.5-5 series. It is coarser than TTFTBuckets on purpose: the phase histogram
	// has five series per label set (two in five of all bucket lines with TTFT's
	// layout), and the native histogram keeps the fine resolution.
	PhaseBuckets = []float64{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
		0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}
	// TokenBuckets is a 1-2-5 series, as vLLM uses for its token histograms.
	TokenBuckets = oneTwoFive(1, 200000)
	// AudioBuckets covers clip lengths from half a second to half an hour.
	AudioBuckets = []float64{0.5, 1, 2, 5, 10, 15, 20, 30, 45, 60, 120, 300, 600, 1800}
	// WERBuckets separates perfect transcripts (0) from the few-percent errors
	// of a good model and the near-total failure (1 and above) of a broken one.
	WERBuckets = []float64{0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 1.5}
)

// Native histogram settings shared by every histogram.
const (
	nativeFactor     = 1.1
	nativeMaxBuckets = 160
	nativeMinReset   = time.Hour
)

func merge(a, b []float64) []float64 {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}

func oneTwoFive(from, to float64) []float64 {
	var out []float64
	for x := from; x <= to; x *= 10 {
		for _, m := range []float64{1, 2, 5} {
			if v := x * m; v <= to {
				out = append(out, v)
			}
		}
	}
	return out
}

// histogramOpts returns options for a histogram with classic and native buckets.
func histogramOpts(name, help string, buckets []float64) prometheus.HistogramOpts {
	return prometheus.HistogramOpts{
		Name:                            name,
		Help:                            help,
		Buckets:                         buckets,
		NativeHistogramBucketFactor:     nativeFactor,
		NativeHistogramMaxBucketNumber:  nativeMaxBuckets,
		NativeHistogramMinResetDuration: nativeMinReset,
	}
}
