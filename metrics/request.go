package metrics

import (
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// Request holds the per-request metrics of one record, in display units
// (milliseconds, tokens, tokens/sec). A missing metric is absent from Values.
type Request struct {
	Values map[string]float64
	// ICL is the list of gaps between consecutive responses, in ms.
	ICL []float64
}

// Get returns the value of tag and whether the record has it.
func (m Request) Get(tag string) (float64, bool) {
	v, ok := m.Values[tag]
	return v, ok
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

// ForRecord computes every per-request metric of r, following AIPerf's
// per-record metric definitions. Error records get only error_isl.
func ForRecord(r *record.Record) Request {
	m := Request{Values: make(map[string]float64, 12)}
	if !r.Valid() {
		if ProducesTokensFor(r.EndpointType) {
			m.Values[ErrorISL] = float64(r.InputTokens)
		}
		return m
	}
	m.Values[ISL] = float64(r.InputTokens)
	m.Values[ScheduleLag] = ms(r.ScheduleLag())
	m.Values[SlotWait] = ms(r.SlotWait)
	osl, haveOSL := outputLength(r, m.Values)

	// Hand-edited or merged records may hold responses before the start or
	// out of order: each metric whose timestamps are not in order is left out
	// for that record, as AIPerf's metric classes raise on them
	// (src/aiperf/metrics/types/ttft_metric.py, ttst_metric.py,
	// request_latency_metric.py, inter_chunk_latency_metric.py); no latency
	// is ever negative.
	resp := r.Responses
	last := resp[len(resp)-1].Offset
	if last >= 0 {
		m.Values[RequestLatency] = ms(last)
		if r.EndpointType == record.EndpointTranscription {
			audioMetrics(r.AudioSeconds, last, m.Values)
		}
		mediaMetrics(r.Images, last, m.Values, NumImages, ImageThroughput, ImageLatency)
		mediaMetrics(r.Videos, last, m.Values, NumVideos, VideoThroughput, VideoLatency)
	}
	if !ProducesTokensFor(r.EndpointType) {
		defer dropTokenMetrics(m.Values)
	}
	if r.WordErrorRate != nil {
		m.Values[WordErrorRate] = *r.WordErrorRate
	}
	if r.Usage != nil && r.Usage.AudioTokens > 0 {
		m.Values[AudioTokens] = float64(r.Usage.AudioTokens)
	}
	if !r.Streamed() {
		return m
	}
	first := resp[0].Offset
	if first >= 0 {
		m.Values[TTFT] = ms(first)
	}
	if len(resp) >= 2 {
		if resp[1].Offset >= first {
			m.Values[TTST] = ms(resp[1].Offset - first)
		}
		m.ICL = make([]float64, len(resp)-1)
		for i := 1; i < len(resp); i++ {
			gap := resp[i].Offset - resp[i-1].Offset
			if gap < 0 {
				m.ICL = nil
				break
			}
			m.ICL[i-1] = ms(gap)
		}
	}
	for _, x := range resp {
		if x.Kind&record.Content != 0 {
			if x.Offset >= 0 {
				m.Values[TTFO] = ms(x.Offset)
			}
			break
		}
	}
	if haveOSL && osl >= 2 && first >= 0 && last >= first {
		itl := ms(last-first) / float64(osl-1)
		m.Values[ITL] = itl
		if itl > 0 {
			m.Values[OutputTPSPerUser] = 1000 / itl
		}
	}
	return m
}

// outputLength fills the token counts and returns OSL, if known.
func outputLength(r *record.Record, v map[string]float64) (int, bool) {
	known := false
	osl := 0
	if r.OutputTokens >= 0 {
		osl += r.OutputTokens
		known = true
	}
	// AIPerf leaves output_token_count out when it is 0 (a reasoning-only
	// answer, aiperf/metrics/types/output_token_count.py); OSL still counts.
	if r.OutputTokens > 0 {
		v[OutputTokenCount] = float64(r.OutputTokens)
	}
	if r.ReasoningTokens > 0 {
		v[ReasoningTokenCount] = float64(r.ReasoningTokens)
		osl += r.ReasoningTokens
		known = true
	}
	if known {
		v[OSL] = float64(osl)
	}
	return osl, known
}

// audioMetrics sets audio_duration and rtfx (audio seconds per second of
// request latency: above 1 is faster than real time) for a transcription
// request that sent audio.
func audioMetrics(audioSeconds float64, latency time.Duration, v map[string]float64) {
	if audioSeconds <= 0 {
		return
	}
	v[AudioDuration] = audioSeconds
	if latency > 0 {
		v[RTFX] = audioSeconds / latency.Seconds()
	}
}

// mediaMetrics sets AIPerf's image (or video) metrics for a request that
// sent n of them: the count, n per second of request latency, and ms of
// latency per item; only runs with images (videos) have them.
func mediaMetrics(n int, latency time.Duration, v map[string]float64, count, throughput, perItem string) {
	if n <= 0 {
		return
	}
	v[count] = float64(n)
	if latency > 0 {
		v[throughput] = float64(n) / latency.Seconds()
		v[perItem] = ms(latency) / float64(n)
	}
}

// dropTokenMetrics removes the token metrics of a request to an endpoint that
// produces no tokens.
func dropTokenMetrics(v map[string]float64) {
	for tag := range v {
		if d, _ := Lookup(tag); d.Has(ProducesTokens) {
			delete(v, tag)
		}
	}
}
