package inputs

import (
	"errors"
	"fmt"
)

// checkVideoGeneration says why a turn cannot be one video generation job:
// it needs a text prompt, one turn per request and no media.
func checkVideoGeneration(ts turnSpec) error {
	if err := checkPromptTurn("video_generation", ts); err != nil {
		return err
	}
	if len(ts.msg.Images) > 0 || len(ts.msg.Audios) > 0 || len(ts.msg.Videos) > 0 {
		return errors.New("video_generation sends a text prompt only, this turn has images, audio or video")
	}
	return nil
}

// checkPromptTurn says why a turn is not one request of a media generation
// endpoint: they send one turn, and need its text as their prompt.
func checkPromptTurn(endpointType string, ts turnSpec) error {
	switch {
	case len(ts.history) > 0:
		return fmt.Errorf("%s sends one turn per request, not a conversation's history (use single_turn lines)", endpointType)
	case len(nonEmpty(ts.msg.Texts)) == 0:
		return fmt.Errorf("%s needs a text prompt, this turn has none", endpointType)
	}
	return nil
}

// newVideoGeneration lays out AIPerf's VideoGenerationEndpoint payload
// (src/aiperf/endpoints/openai_video_generation.py) as the multipart form its
// transport sends (requires_form_data): prompt (the first text), model, then
// the extras (size, seconds, seed...) as string fields.
func newVideoGeneration(ts turnSpec, model string, extra []field) (formRequest, error) {
	prompt := ""
	if texts := nonEmpty(ts.msg.Texts); len(texts) > 0 {
		prompt = texts[0]
	}
	r := formRequest{fields: withFormExtra([]formField{{"prompt", prompt}, {"model", model}}, extra, nil)}
	r.fileAt = len(r.fields)
	return r, checkVideoGeneration(ts)
}
