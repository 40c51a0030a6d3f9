// Package metrics holds the single definition of every AIPerf metric: its tag,
// header, unit, console order, and how it is computed from records. The other
// values derived from records live here too: HTTP phase durations, the
// first-token wait, error reasons, statistics, and the aggregation of a run or
// of its time slices. The report, the collector and the plots all read these;
// nothing computes a metric twice.
package metrics

import "github.com/aiperf-exporter/aiperf-exporter/endpoint"

// Flag marks how a metric is shown and computed.
type Flag uint16

const (
	// Streaming metrics exist only for streamed requests.
	Streaming Flag = 1 << iota
	// NoConsole metrics appear in CSV/JSON/JSONL exports but not the console table.
	NoConsole
	// ErrorOnly metrics describe error records and are omitted when zero.
	ErrorOnly
	// AggregateMetric marks metrics with one value per run (no percentiles).
	AggregateMetric
	// LargerIsBetter flips the goodput comparison to >=.
	LargerIsBetter
	// Internal metrics are exported in the JSON/CSV but never shown on the console.
	Internal
	// List metrics carry many values per record (inter-chunk latency).
	List
	// Extension metrics are ours, not AIPerf's: exported in the JSON only (a
	// documented extension), never in the console, CSV or JSONL metrics.
	Extension
	// ProducesTokens metrics count tokens (AIPerf's PRODUCES_TOKENS_ONLY): an
	// endpoint that produces no tokens (audio_transcription) has none of them.
	ProducesTokens
)

// Def describes one metric.
type Def struct {
	Tag    string
	Header string
	Unit   string // display unit: ms, sec, tokens, tokens/sec, requests/sec, requests, ns
	Order  int    // console display order; 0 = not in the console
	Flags  Flag
}

// Has reports whether the definition carries flag f.
func (d Def) Has(f Flag) bool { return d.Flags&f != 0 }

// Tags of every metric, as AIPerf spells them.
const (
	TTFT                  = "time_to_first_token"
	TTST                  = "time_to_second_token"
	TTFO                  = "time_to_first_output_token"
	RequestLatency        = "request_latency"
	ITL                   = "inter_token_latency"
	ICL                   = "inter_chunk_latency"
	OutputTPSPerUser      = "output_token_throughput_per_user"
	OutputTokenCount      = "output_token_count"
	ReasoningTokenCount   = "reasoning_token_count"
	OSL                   = "output_sequence_length"
	ISL                   = "input_sequence_length"
	ErrorISL              = "error_isl"
	ScheduleLag           = "schedule_lag"              // ours: actual minus intended send time
	SlotWait              = "slot_wait"                 // ours: the part of schedule_lag spent waiting for a --concurrency slot
	AudioDuration         = "audio_duration"            // AIPerf N: seconds of audio the request sent
	RTFX                  = "rtfx"                      // AIPerf N: audio seconds ÷ request latency seconds
	WordErrorRate         = "word_error_rate"           // ours: the answer's WER against the reference transcript
	AudioTokens           = "usage_prompt_audio_tokens" // the server's usage.prompt_tokens_details.audio_tokens
	NumImages             = "num_images"                // AIPerf: image parts the request sent
	ImageThroughput       = "image_throughput"          // AIPerf: num_images ÷ request latency seconds
	ImageLatency          = "image_latency"             // AIPerf: request latency ms ÷ num_images
	NumVideos             = "num_videos"                // AIPerf: video parts the request sent
	VideoThroughput       = "video_throughput"          // AIPerf: num_videos ÷ request latency seconds
	VideoLatency          = "video_latency"             // AIPerf: request latency ms ÷ num_videos
	RequestCount          = "request_count"
	ErrorRequestCount     = "error_request_count"
	TotalISL              = "total_isl"
	TotalErrorISL         = "total_error_isl"
	TotalOSL              = "total_osl"
	TotalOutputTokens     = "total_output_tokens"
	TotalReasoningTokens  = "total_reasoning_tokens"
	MinRequestTimestamp   = "min_request_timestamp"
	MaxResponseTimestamp  = "max_response_timestamp"
	BenchmarkDuration     = "benchmark_duration"
	OutputTokenThroughput = "output_token_throughput"
	RequestThroughput     = "request_throughput"
	GoodRequestCount      = "good_request_count"
	Goodput               = "goodput"
	// AIPerf N: the latencies less the network RTT (--network-latency-*), and the RTT taken off.
	NetAdjustedRequestLatency = "network_adjusted_request_latency"
	NetAdjustedTTFT           = "network_adjusted_time_to_first_token"
	NetAdjustedTTFO           = "network_adjusted_time_to_first_output_token"
	NetworkRTT                = "network_rtt"
)

// Flags follow AIPerf's metric classes (aiperf/metrics/types/*.py): ISL, OSL
// and the token counts are LARGER_IS_BETTER there, so a goodput SLO on them
// is a floor. AIPerf's STREAMING_TOKENS_ONLY timings (TTFT, TTST, TTFO, ICL)
// carry only Streaming here: AIPerf never streams a transcription, and ours
// keep their timings when streamed (README, "Where we differ").

// Defs lists every metric. Console order follows Order; CSV/JSON sort by Tag.
var Defs = []Def{
	{TTFT, "Time to First Token", "ms", 100, Streaming},
	{TTST, "Time to Second Token", "ms", 200, Streaming},
	{TTFO, "Time to First Output Token", "ms", 210, Streaming},
	{RequestLatency, "Request Latency", "ms", 300, 0},
	{ITL, "Inter Token Latency", "ms", 400, Streaming | ProducesTokens},
	{ICL, "Inter Chunk Latency", "ms", 0, Streaming | NoConsole | List},
	{OutputTPSPerUser, "Output Token Throughput Per User", "tokens/sec/user", 500, Streaming | LargerIsBetter | ProducesTokens},
	{OutputTokenCount, "Output Token Count", "tokens", 0, NoConsole | LargerIsBetter | ProducesTokens},
	{ReasoningTokenCount, "Reasoning Token Count", "tokens", 0, NoConsole | LargerIsBetter | ProducesTokens},
	{OSL, "Output Sequence Length", "tokens", 600, LargerIsBetter | ProducesTokens},
	{ISL, "Input Sequence Length", "tokens", 700, LargerIsBetter | ProducesTokens},
	{ErrorISL, "Error Input Sequence Length", "tokens", 0, NoConsole | ErrorOnly | LargerIsBetter | ProducesTokens},
	{ScheduleLag, "Schedule Lag", "ms", 0, NoConsole | Extension},
	{SlotWait, "Slot Wait", "ms", 0, NoConsole | Extension},
	{AudioDuration, "Audio Duration", "sec", 0, NoConsole},
	{RTFX, "Inverse Real-Time Factor (RTFx)", "ratio", 850, LargerIsBetter},
	{WordErrorRate, "Word Error Rate", "ratio", 860, 0},
	{AudioTokens, "Usage Prompt Audio Tokens", "tokens", 0, NoConsole},
	{NumImages, "Number of Images", "images", 0, NoConsole},
	{ImageThroughput, "Image Throughput", "images/sec", 855, LargerIsBetter},
	{ImageLatency, "Image Latency", "ms/image", 856, 0},
	{NumVideos, "Number of Videos", "videos", 0, NoConsole},
	{VideoThroughput, "Video Throughput", "videos/sec", 870, LargerIsBetter},
	{VideoLatency, "Video Latency", "ms/video", 871, 0},
	{OutputTokenThroughput, "Output Token Throughput", "tokens/sec", 800, AggregateMetric | LargerIsBetter | ProducesTokens},
	{RequestThroughput, "Request Throughput", "requests/sec", 900, AggregateMetric | LargerIsBetter},
	{Goodput, "Goodput", "requests/sec", 1000, AggregateMetric | LargerIsBetter},
	{RequestCount, "Request Count", "requests", 1100, AggregateMetric},
	{ErrorRequestCount, "Error Request Count", "requests", 0, AggregateMetric | ErrorOnly | NoConsole},
	{GoodRequestCount, "GoodRequestCount", "requests", 0, AggregateMetric | NoConsole}, // AIPerf's header, spelled so,
	{TotalISL, "Total Input Sequence Length", "tokens", 0, AggregateMetric | NoConsole | ProducesTokens},
	{TotalErrorISL, "Total Error Input Sequence Length", "tokens", 0, AggregateMetric | NoConsole | ErrorOnly | ProducesTokens},
	{TotalOSL, "Total Output Sequence Length", "tokens", 0, AggregateMetric | NoConsole | ProducesTokens},
	{TotalOutputTokens, "Total Output Tokens", "tokens", 0, AggregateMetric | NoConsole | ProducesTokens},
	{TotalReasoningTokens, "Total Reasoning Tokens", "tokens", 0, AggregateMetric | NoConsole | ProducesTokens},
	{MinRequestTimestamp, "Minimum Request Timestamp", "ns", 0, AggregateMetric | NoConsole | Internal},
	{MaxResponseTimestamp, "Maximum Response Timestamp", "ns", 0, AggregateMetric | NoConsole | Internal},
	{BenchmarkDuration, "Benchmark Duration", "sec", 0, AggregateMetric | NoConsole},
	// Set only by NetworkAdjust, after aggregation: no record has them.
	{NetAdjustedTTFT, "Network-Adjusted Time to First Token", "ms", 101, Streaming},
	{NetAdjustedTTFO, "Network-Adjusted Time to First Output Token", "ms", 211, Streaming},
	{NetAdjustedRequestLatency, "Network-Adjusted Request Latency", "ms", 301, 0},
	{NetworkRTT, "Network RTT", "ms", 0, AggregateMetric | NoConsole},
}

var byTag = func() map[string]Def {
	m := make(map[string]Def, len(Defs))
	for _, d := range Defs {
		m[d.Tag] = d
	}
	return m
}()

// Lookup returns the definition of tag.
func Lookup(tag string) (Def, bool) {
	d, ok := byTag[tag]
	return d, ok
}

// Applies reports whether metric d exists in a run with these settings, as
// AIPerf's metric filter decides (aiperf/post_processors/
// base_metrics_processor.py, get_filters): streaming metrics need
// --streaming, token metrics need an endpoint that produces tokens.
func Applies(d Def, streaming bool, endpointType string) bool {
	if d.Has(Streaming) && !streaming {
		return false
	}
	return !d.Has(ProducesTokens) || ProducesTokensFor(endpointType)
}

// ProducesTokensFor reports whether an endpoint type produces tokens, as the
// endpoint table says (AIPerf's endpoint metadata, produces_tokens).
// An unknown type (an old record's) counts as producing tokens, as chat.
func ProducesTokensFor(endpointType string) bool {
	t, ok := endpoint.Lookup(endpointType)
	return !ok || t.Tokens
}
