package mockserver

import (
	"math"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/speech"
)

// audioTokensPerSecond is how many prompt tokens the mock reports per second of
// audio in usage.prompt_tokens_details.audio_tokens (Qwen2.5-Omni's audio
// encoder makes about 25 a second).
const audioTokensPerSecond = 25

// audioTokens is the mock's usage.prompt_tokens_details.audio_tokens for
// seconds of audio.
func audioTokens(seconds float64) int { return int(math.Round(seconds * audioTokensPerSecond)) }

// recognise returns the words of the transcript of the one embedded speech
// clip a request sent (found by the SHA-256 of its bytes), with
// wordErrorRate of them substituted or deleted, or nil when the request sent
// no clip of the set, or several clips.
func recognise(audioSHA []string, wordErrorRate float64) []string {
	if len(audioSHA) != 1 {
		return nil
	}
	clip, ok := speech.Lookup(audioSHA[0])
	if !ok {
		return nil
	}
	return corrupt(strings.Fields(clip.Transcript), wordErrorRate)
}

// corrupt makes floor(rate × len(words)) errors, spread evenly and the same
// every time: word i is wrong when floor(rate·(i+1)) passes floor(rate·i).
// Errors alternate between a substitution ("mumble") and a deletion, each one
// word error, so the answer's word error rate is floor(rate·n)/n.
func corrupt(words []string, rate float64) []string {
	if rate <= 0 {
		return words
	}
	out := make([]string, 0, len(words))
	errs := 0
	for i, w := range words {
		if math.Floor(rate*float64(i+1)) <= math.Floor(rate*float64(i)) {
			out = append(out, w)
			continue
		}
		if errs%2 == 0 {
			out = append(out, "mumble")
		}
		errs++
	}
	return out
}
