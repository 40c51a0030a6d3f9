package inputs

import (
	"encoding/base64"
	"fmt"

	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/speech"
)

// TranscribePrompt is the text sent beside a speech clip on the chat endpoint,
// AIPerf's prompt for its ASR datasets.
const TranscribePrompt = "Transcribe this audio."

// speechSet makes --num-dataset-entries one-turn conversations, each sending
// one clip of the embedded speech set (in an order drawn from the seed) with
// its transcript as the turn's reference.
func (b *builder) speechSet() (*Dataset, error) {
	if b.o.AudioBatchSize != 1 {
		return nil, &options.Error{Flag: "audio-batch-size", Msg: fmt.Sprintf("--audio-source speech sends one clip per request (its transcript is the reference), got %d", b.o.AudioBatchSize)}
	}
	clips := speech.Clips()
	refs := make([]*clipRef, len(clips))
	for i, c := range clips {
		b64 := make([]byte, base64.StdEncoding.EncodedLen(len(c.MP3)))
		base64.StdEncoding.Encode(b64, c.MP3)
		refs[i] = &clipRef{Format: "mp3", Data: c.MP3, Base64: b64, Seconds: c.Seconds, Bytes: len(c.MP3)}
	}
	order := b.rng.Perm(len(clips))
	d := &Dataset{Conversations: make([]Conversation, b.o.NumDatasetEntries)}
	for i := range d.Conversations {
		id := sessionID(b.rng)
		k := order[i%len(order)]
		msg := message{Role: "user", Audios: []*clipRef{refs[k]}}
		if !b.transcription { // a transcription form sends the clip alone
			msg.Texts = []string{TranscribePrompt}
		}
		t := b.turn(turnSpec{msg: msg, maxTokens: b.outputTokens(), reference: clips[k].Transcript})
		d.Conversations[i] = Conversation{ID: id, Turns: []Turn{t}}
	}
	return d, nil
}
