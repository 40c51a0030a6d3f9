package inputs

import (
	"math"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/endpoint"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// --apply-chat-template: when the counter carries the model's chat template
// (profile attaches it), a chat or responses turn's ISL is the token count of
// its whole message array rendered through the template with the generation
// prompt, as AIPerf's record processor counts it; synthetic prompts are drawn
// that much shorter so the templated ISL still matches --isl.

// chatCount is the templated ISL of msgs, or false when the counter has no
// template, the endpoint sends no message array, or the template fails.
func (b *builder) chatCount(msgs []message) (int, bool) {
	cc, ok := b.counter.(tokens.ChatCounter)
	if body := bodyOf(b.o.EndpointType); !ok || b.transcription || body != endpoint.BodyChat && body != endpoint.BodyResponses {
		return 0, false
	}
	return cc.CountChat(chatView(msgs))
}

// chatView is the messages as AIPerf hands them to the template: role and
// the text parts joined without a separator (media parts dropped).
func chatView(msgs []message) []tokens.ChatMessage {
	out := make([]tokens.ChatMessage, len(msgs))
	for i, m := range msgs {
		out[i] = tokens.ChatMessage{Role: m.Role, Content: strings.Join(m.Texts, "")}
	}
	return out
}

// probeSamples are AIPerf's chat-template probe texts (its dataset composer's).
var probeSamples = []string{
	"Hello, how are you today?",
	"Could you write a Python function to reverse a string?",
	"What's the difference between TCP and UDP in networking?",
}

// templateOverheads estimates what the template adds, as AIPerf's
// _estimate_chat_template_overheads does: fixed per request (BOS, the
// generation prompt) and wrap per message (role header, end of turn), from
// one and three message renders of each probe text, averaged and rounded.
// Both are 0 without a template or when a probe gives a negative cost.
func templateOverheads(counter tokens.Counter) (fixed, wrap int) {
	cc, ok := counter.(tokens.ChatCounter)
	if !ok {
		return 0, 0
	}
	var fixedSum, wrapSum float64
	for _, p := range probeSamples {
		user, assistant := tokens.ChatMessage{Role: "user", Content: p}, tokens.ChatMessage{Role: "assistant", Content: p}
		single, ok1 := cc.CountChat([]tokens.ChatMessage{user})
		triple, ok3 := cc.CountChat([]tokens.ChatMessage{user, assistant, user})
		if !ok1 || !ok3 {
			return 0, 0
		}
		bare := float64(counter.Count(p))
		w := (float64(triple-single) - 2*bare) / 2
		f := float64(single) - bare - w
		if w < 0 || f < 0 {
			return 0, 0
		}
		fixedSum, wrapSum = fixedSum+f, wrapSum+w
	}
	n := float64(len(probeSamples))
	return int(math.RoundToEven(fixedSum / n)), int(math.RoundToEven(wrapSum / n)) // Python's round
}

// templateCompensated takes the template's overhead off a drawn prompt length,
// as AIPerf's synthetic composer does: the per-request and per-message costs
// on a conversation's first turn, the per-message cost on the others; at
// least 1 token is left.
func (b *builder) templateCompensated(n int, first bool) int {
	adj := b.tmplWrap
	if first {
		adj += b.tmplFixed
	}
	if adj == 0 {
		return n
	}
	return max(1, n-adj)
}
