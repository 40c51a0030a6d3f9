package collector

import (
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

const t0 = int64(1_700_000_000_000_000_000) // fixed wall clock of the fixtures

var testScenario = Scenario{Name: "short", Models: []string{"omni"}, Targets: []string{"gpu0"}, Concurrency: 4, RequestRate: 0}

func ms(n float64) time.Duration { return time.Duration(n * float64(time.Millisecond)) }

// success is a streamed request: TTFT 100 ms, then a response every 10 ms.
func success(id string) *record.Record {
	r := &record.Record{
		RequestID: id, Scenario: "short", Model: "omni", Target: "gpu0", Phase: record.PhaseProfiling,
		Streaming: true, IntendedStartNs: t0 - int64(ms(2)), StartNs: t0, EndOffset: ms(141),
		InputTokens: 50, AudioSeconds: 2.5, OutputTokens: 5, ReasoningTokens: 0, HTTPStatus: 200, StampSource: record.StampKernel,
		HTTPPhases: &record.HTTPPhases{DNS: ms(1), Connect: ms(3), RequestWritten: ms(8), FirstByte: ms(90)},
	}
	for i := range 5 {
		r.Responses = append(r.Responses, record.Response{Offset: ms(100 + 10*float64(i)), Kind: record.Content})
	}
	wer := 0.125 // a scored answer: one word in eight wrong
	r.WordErrorRate = &wer
	r.Usage = &record.Usage{PromptTokens: 110, CompletionTokens: 5, AudioTokens: 63}
	return r
}

func serverError() *record.Record {
	return &record.Record{
		RequestID: "req-err", Scenario: "short", Model: "omni", Target: "gpu0", Phase: record.PhaseProfiling,
		Streaming: true, StartNs: t0, EndOffset: ms(20), InputTokens: 50, AudioSeconds: 2.5, OutputTokens: -1,
		HTTPStatus: 500, Error: &record.Error{Code: 500, Type: "Internal Server Error", Message: "boom"},
		Reason:     record.ReasonHTTP5xx,
		HTTPPhases: &record.HTTPPhases{RequestWritten: ms(5), FirstByte: ms(15), ConnReused: true},
	}
}

func warmup() *record.Record {
	r := success("req-warm")
	r.Phase = record.PhaseWarmup
	return r
}
