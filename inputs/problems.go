package inputs

import (
	"math/rand"

	"github.com/aiperf-exporter/aiperf-exporter/accuracy"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// BuildProblems makes one single-turn conversation per accuracy benchmark
// problem (--accuracy-benchmark), as AIPerf's accuracy dataset loader does:
// the problem's messages (few-shot turns, then the question) with its
// generation budget as the max tokens; --extra-inputs still apply.
func BuildProblems(o *options.Options, counter tokens.Counter, rng *rand.Rand, problems []accuracy.Problem) (*Dataset, error) {
	if counter == nil {
		counter = tokens.Words{}
	}
	b, err := newBuilder(o, counter, rng)
	if err != nil {
		return nil, err
	}
	if b.transcription {
		return nil, &options.Error{Flag: "accuracy-benchmark", Msg: "asks text questions: not with --endpoint-type " + EndpointTranscription}
	}
	d := &Dataset{Conversations: make([]Conversation, len(problems))}
	for i := range problems {
		p := &problems[i]
		msgs := make([]message, len(p.Messages))
		for j, m := range p.Messages {
			msgs[j] = message{Role: m.Role, Texts: []string{m.Content}}
		}
		last := len(msgs) - 1
		t := b.turn(turnSpec{history: msgs[:last], msg: msgs[last], maxTokens: p.MaxTokens})
		t.Problem = p
		t.InputTokens = b.counter.Count(problemText(p.Messages)) // the few shots are sent too
		d.Conversations[i] = Conversation{ID: sessionID(b.rng), Turns: []Turn{t}}
	}
	if b.err != nil { // a turn the endpoint cannot send (the few shots are history)
		return nil, b.err
	}
	return d, nil
}

// problemText is every message's text, one per line, for the ISL.
func problemText(msgs []accuracy.Message) string {
	texts := make([]string, len(msgs))
	for i, m := range msgs {
		texts[i] = m.Content
	}
	return joinTexts(texts)
}
