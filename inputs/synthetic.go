package inputs

import (
	"fmt"
	"math"
	"math/rand"

	"github.com/aiperf-exporter/aiperf-exporter/audio"
	"github.com/aiperf-exporter/aiperf-exporter/endpoint"
	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// synthetic makes --num-dataset-entries conversations of synthetic text (and
// audio when --audio-length-mean > 0), of --conversation-turn-mean turns each:
// a later turn resends the earlier user turns, after its drawn delay. The
// context prompts (--shared-system-prompt-length, --user-context-prompt-length)
// go first in every request of a conversation, as AIPerf's chat endpoint puts them.
func (b *builder) synthetic() (*Dataset, error) {
	o := b.o
	if o.InputTokensMean <= 0 && o.AudioLengthMean <= 0 && b.seq == nil && b.images == nil && b.videos == nil {
		return nil, &options.Error{Flag: "synthetic-input-tokens-mean", Msg: "0 with no audio (--audio-length-mean), images (--image-batch-size) or video (--video-batch-size) leaves every request empty"}
	}
	if b.transcription {
		if o.AudioLengthMean <= 0 {
			return nil, &options.Error{Flag: "audio-length-mean", Msg: EndpointTranscription + " needs synthetic audio: set it above 0"}
		}
		if o.AudioBatchSize != 1 {
			return nil, &options.Error{Flag: "audio-batch-size", Msg: fmt.Sprintf("%s sends one clip per request, got %d", EndpointTranscription, o.AudioBatchSize)}
		}
	}
	if plainEndpoint(o.EndpointType) && bodyOf(o.EndpointType) != endpoint.BodyResponses && o.AudioLengthMean > 0 {
		return nil, &options.Error{Flag: "audio-length-mean", Msg: o.EndpointType + " sends text only: leave it at 0"}
	}
	if err := checkSyntheticAudio(o); err != nil {
		return nil, err
	}
	if err := checkSyntheticImages(o); err != nil {
		return nil, err
	}
	if err := checkHistorySize(o); err != nil {
		return nil, err
	}
	prefixes := b.prefixPool()
	system := b.sharedSystemPrompt()
	d := &Dataset{Conversations: make([]Conversation, o.NumDatasetEntries)}
	held := 0 // prompt text bytes of every body so far, history included
	for i := range d.Conversations {
		if err := b.stopped(); err != nil {
			return nil, err
		}
		c := Conversation{ID: sessionID(b.rng)}
		history := b.contextMessages(system)
		for j := range b.turnCount() {
			isl, osl := 0, 0 // 0: drawn from --isl and --osl
			if b.seq != nil {
				isl, osl = b.seq.draw(b.rng)
			}
			msg, err := b.syntheticMessage(j == 0, prefixes, isl)
			if err != nil {
				return nil, err
			}
			if osl == 0 {
				osl = b.outputTokens()
			}
			ts := turnSpec{history: history, msg: msg, maxTokens: osl}
			if j > 0 {
				if ts.delay, err = b.turnDelay(); err != nil {
					return nil, err
				}
			}
			if held += textBytes(history...) + textBytes(msg); held > maxHistoryTextBytes {
				return nil, historyTooBig(float64(held))
			}
			c.Turns = append(c.Turns, b.turn(ts))
			history = append(history[:len(history):len(history)], msg)
		}
		d.Conversations[i] = c
	}
	return d, nil
}

// syntheticMessage makes one synthetic user message: text of isl tokens (0:
// drawn from --isl; a pool prefix before it on a conversation's first turn, as
// AIPerf) and --audio-batch-size clips.
func (b *builder) syntheticMessage(first bool, prefixes []string, isl int) (message, error) {
	o := b.o
	msg := message{Role: "user"}
	if (isl > 0 || o.InputTokensMean > 0) && !b.transcription { // a transcription form sends the clip alone
		// --prompt-batch-size texts, each drawn on its own, each with its
		// own prefix, as AIPerf's synthetic composer batches them.
		for range max(o.PromptBatchSize, 1) {
			n := isl
			if n == 0 {
				n = promptTokens(b.rng, float64(o.InputTokensMean), o.InputTokensStddev)
			}
			n = b.templateCompensated(n, first)
			text := b.text.prompt(b.rng, n)
			if err := b.stopped(); err != nil { // the prompt was cut short: do not count it
				return msg, err
			}
			if first && len(prefixes) > 0 {
				text = prefixes[b.rng.Intn(len(prefixes))] + " " + text
			}
			msg.Texts = append(msg.Texts, text)
		}
	}
	var err error
	if msg.Audios, err = drawParts(b, o.AudioBatchSize*boolInt(o.AudioLengthMean > 0), b.syntheticClip); err != nil {
		return msg, err
	}
	if msg.Images, err = drawParts(b, o.ImageBatchSize*boolInt(b.images != nil), b.images.next); err != nil {
		return msg, err
	}
	nextVideo := func() (*urlRef, error) { return b.videos.next(b.ctx) }
	if msg.Videos, err = drawParts(b, o.VideoBatchSize*boolInt(b.videos != nil), nextVideo); err != nil {
		return msg, err
	}
	return msg, nil
}

// drawParts makes n synthetic media parts with next, stopping when the build is
// cancelled.
func drawParts[T any](b *builder, n int, next func() (T, error)) ([]T, error) {
	var out []T
	for range n {
		if err := b.stopped(); err != nil {
			return out, err
		}
		v, err := next()
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// prefixPool makes --prompt-prefix-pool-size prefixes of --prompt-prefix-length tokens.
func (b *builder) prefixPool() []string {
	if b.o.PrefixPoolSize <= 0 || b.o.PrefixLength <= 0 {
		return nil
	}
	pool := make([]string, b.o.PrefixPoolSize)
	for i := range pool {
		pool[i] = b.text.prompt(b.rng, b.o.PrefixLength)
	}
	return pool
}

// syntheticClip draws a clip's length, rate and depth and synthesizes it once.
func (b *builder) syntheticClip() (*clipRef, error) {
	o := b.o
	if o.AudioLengthMean < audio.MinSeconds {
		return nil, &options.Error{Flag: "audio-length-mean", Msg: fmt.Sprintf("must be at least %g seconds, got %g", audio.MinSeconds, o.AudioLengthMean)}
	}
	var secs float64
	for {
		secs = b.rng.NormFloat64()*o.AudioLengthStddev + o.AudioLengthMean
		if secs >= audio.MinSeconds {
			break
		}
	}
	p := audio.Params{
		Seconds:    secs,
		SampleRate: int(math.Round(o.AudioSampleRates[b.rng.Intn(len(o.AudioSampleRates))] * 1000)),
		Depth:      o.AudioDepths[b.rng.Intn(len(o.AudioDepths))],
		Channels:   o.AudioChannels,
		Format:     o.AudioFormat,
	}
	clip, err := audio.Synthesize(p, b.rng)
	if err != nil {
		return nil, fmt.Errorf("synthetic audio: %w", err)
	}
	return &clipRef{Format: clip.Format, Data: clip.Data, Base64: clip.Base64, Seconds: clip.Seconds, Bytes: len(clip.Data)}, nil
}

// sampleTokens draws ceil(normal(mean, stddev)), forced to at least 1.
func sampleTokens(rng *rand.Rand, mean, stddev float64) int {
	x := mean
	if stddev > 0 {
		x = rng.NormFloat64()*stddev + mean
	}
	return max(1, int(math.Ceil(x)))
}

// promptTokens is sampleTokens for a prompt's length, which is built and held:
// a draw past the context-window bound is cut to it. An output length is only
// a number in the body, sent as drawn.
func promptTokens(rng *rand.Rand, mean, stddev float64) int {
	return min(options.MaxPromptTokens, sampleTokens(rng, mean, stddev))
}

// sessionID is a version-4 UUID string drawn from rng (deterministic per seed).
func sessionID(rng *rand.Rand) string {
	var u [16]byte
	rng.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:])
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
