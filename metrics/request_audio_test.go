package metrics

import (
	"math"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

func TestAudioMetrics(t *testing.T) {
	resp := func(offsets ...time.Duration) []record.Response {
		var out []record.Response
		for _, o := range offsets {
			out = append(out, record.Response{Offset: o, Kind: record.Content})
		}
		return out
	}
	cases := []struct {
		name     string
		r        record.Record
		duration float64 // 0 = absent
		rtfx     float64 // 0 = absent
	}{
		{"5 s clip in 250 ms", record.Record{EndpointType: record.EndpointTranscription, AudioSeconds: 5, OutputTokens: 3, Responses: resp(250 * time.Millisecond)}, 5, 20},
		{"streamed: latency is the last response", record.Record{EndpointType: record.EndpointTranscription, Streaming: true, AudioSeconds: 2, OutputTokens: 2,
			Responses: resp(100*time.Millisecond, 4*time.Second)}, 2, 0.5},
		{"no audio", record.Record{OutputTokens: 3, Responses: resp(time.Second)}, 0, 0},
		{"chat with audio: no audio metrics, as AIPerf", record.Record{AudioSeconds: 5, OutputTokens: 3, Responses: resp(time.Second)}, 0, 0},
		{"error record", record.Record{EndpointType: record.EndpointTranscription, AudioSeconds: 5, Error: &record.Error{Code: 500}}, 0, 0},
		{"zero latency: no ratio", record.Record{EndpointType: record.EndpointTranscription, AudioSeconds: 1, OutputTokens: 1, Responses: resp(0)}, 1, 0},
	}
	for _, c := range cases {
		m := ForRecord(&c.r)
		d, okD := m.Get(AudioDuration)
		x, okX := m.Get(RTFX)
		if okD != (c.duration > 0) || (okD && d != c.duration) {
			t.Errorf("%s: audio_duration = %v (%v), want %v", c.name, d, okD, c.duration)
		}
		if okX != (c.rtfx > 0) || (okX && math.Abs(x-c.rtfx) > 1e-9) {
			t.Errorf("%s: rtfx = %v (%v), want %v", c.name, x, okX, c.rtfx)
		}
	}
	if d, ok := Lookup(AudioDuration); !ok || !d.Has(NoConsole) || d.Has(AggregateMetric) {
		t.Errorf("audio_duration definition %+v", d)
	}
	if d, ok := Lookup(RTFX); !ok || d.Order != 850 || d.Has(AggregateMetric) {
		t.Errorf("rtfx definition %+v: AIPerf shows it on the console at 850", d)
	}
	if d, _ := Lookup(RTFX); !d.Has(LargerIsBetter) {
		t.Error("rtfx: larger is better")
	}
}
