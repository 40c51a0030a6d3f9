package inputs

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"

	"github.com/aiperf-exporter/aiperf-exporter/hub"
	"github.com/aiperf-exporter/aiperf-exporter/internal/term"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/publicdata"
)

// publicSet builds the conversations of --public-dataset: speech clips
// (publicSpeech) or text and vision prompts (publicText). The files come
// through the Hugging Face cache (HF_HOME, HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE).
func (b *builder) publicSet() (*Dataset, error) {
	kind, err := publicdata.Kind(b.o.PublicDataset)
	if err != nil {
		return nil, &options.Error{Flag: "public-dataset", Msg: err.Error()}
	}
	if len(b.o.DatasetFilter) > 0 { // none of these datasets declares filters, in AIPerf either
		return nil, &options.Error{Flag: "dataset-filter", Msg: fmt.Sprintf("public dataset %s does not support --dataset-filter", b.o.PublicDataset)}
	}
	if kind == "speech" && b.o.AudioBatchSize != 1 {
		return nil, &options.Error{Flag: "audio-batch-size", Msg: fmt.Sprintf("--public-dataset sends one clip per request (its transcript is the reference), got %d", b.o.AudioBatchSize)}
	}
	c, err := hub.FromEnv()
	if err != nil {
		return nil, err
	}
	if term.IsTerminal(os.Stderr) {
		c.Progress = os.Stderr
	}
	if kind == "text" {
		return b.publicText(c)
	}
	return b.publicSpeech(c)
}

// publicSpeech makes one conversation per clip (at most
// --num-dataset-entries), each sending the clip (with AIPerf's prompt on the
// chat endpoint) and carrying its transcript as the reference.
func (b *builder) publicSpeech(c *hub.Client) (*Dataset, error) {
	clips, err := publicdata.LoadSubset(context.Background(), c, b.o.PublicDataset, b.o.HFSubset, b.o.NumDatasetEntries)
	if err != nil {
		return nil, err
	}
	d := &Dataset{Conversations: make([]Conversation, len(clips))}
	for i, c := range clips {
		b64 := make([]byte, base64.StdEncoding.EncodedLen(len(c.Data)))
		base64.StdEncoding.Encode(b64, c.Data)
		msg := message{Role: "user", Audios: []*clipRef{{Format: c.Format, Data: c.Data, Base64: b64, Seconds: c.Seconds, Bytes: len(c.Data)}}}
		if !b.transcription {
			msg.Texts = []string{TranscribePrompt}
		}
		t := b.turn(turnSpec{msg: msg, maxTokens: b.outputTokens(), reference: c.Transcript})
		d.Conversations[i] = Conversation{ID: sessionID(b.rng), Turns: []Turn{t}}
	}
	return d, nil
}
