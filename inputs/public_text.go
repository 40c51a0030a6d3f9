package inputs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"

	"github.com/aiperf-exporter/aiperf-exporter/hub"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/publicdata"
)

// publicText makes one conversation per entry of a text or vision dataset
// (at most --num-dataset-entries): each turn sends its prompt, after the
// conversation's earlier prompts, with its image as a JPEG data URL (AIPerf
// re-encodes every dataset image to JPEG). A turn asks for the dataset's
// output length (ShareGPT's completion length) or else --osl, as AIPerf's
// public composer finalizes turns.
func (b *builder) publicText(c *hub.Client) (*Dataset, error) {
	entries, err := publicdata.LoadText(context.Background(), c, b.o.PublicDataset, publicdata.TextOptions{
		Subset:        b.o.HFSubset,
		Max:           b.o.NumDatasetEntries,
		Count:         b.counter.Count,
		SkipMinOutput: b.o.OutputTokensMean > 0,
	})
	if errors.Is(err, publicdata.ErrUnresolved) {
		return nil, &options.Error{Flag: "public-dataset", Msg: err.Error()}
	}
	if err != nil {
		return nil, err
	}
	d := &Dataset{Conversations: make([]Conversation, len(entries))}
	for i, e := range entries {
		conv := Conversation{ID: e.ID}
		if conv.ID == "" {
			conv.ID = sessionID(b.rng)
		}
		var history []message
		for j, p := range e.Turns {
			msg := message{Role: "user", Texts: []string{p.Text}}
			if p.Image != nil {
				ref, err := datasetImage(p.Image)
				if err != nil {
					return nil, fmt.Errorf("public dataset %s: entry %d turn %d: %w", b.o.PublicDataset, i+1, j+1, err)
				}
				msg.Images = []*urlRef{ref}
			}
			if p.Video != "" {
				msg.Videos = []*urlRef{newURLRef(p.Video)}
			}
			maxTokens := p.MaxTokens
			if maxTokens == 0 {
				maxTokens = b.outputTokens()
			}
			conv.Turns = append(conv.Turns, b.turn(turnSpec{history: history, msg: msg, maxTokens: maxTokens}))
			history = append(history[:len(history):len(history)], msg)
		}
		d.Conversations[i] = conv
	}
	return d, nil
}

// datasetImage decodes a dataset's stored image (PNG, JPEG, GIF, WebP, ...)
// and re-encodes it as AIPerf does: a JPEG data URL.
func datasetImage(data []byte) (*urlRef, error) {
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	url, err := imageDataURL(img, imageJPEG)
	if err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	return newURLRef(url), nil
}
