package inputs

import "github.com/aiperf-exporter/aiperf-exporter/options"

// sharedSystemPrompt is the one --shared-system-prompt-length system prompt
// of every conversation, or "" when not asked.
func (b *builder) sharedSystemPrompt() string {
	if b.o.SharedSystemPromptLength <= 0 {
		return ""
	}
	return b.text.prompt(b.rng, b.o.SharedSystemPromptLength)
}

// contextMessages are the messages every request of a new conversation starts
// with, as AIPerf's chat endpoint sends them: the shared system prompt, then a
// user message of --user-context-prompt-length tokens of this conversation's own.
func (b *builder) contextMessages(system string) []message {
	var out []message
	if system != "" {
		out = append(out, message{Role: "system", Texts: []string{system}})
	}
	if n := b.o.UserContextPromptLength; n > 0 {
		out = append(out, message{Role: "user", Texts: []string{b.text.prompt(b.rng, n)}, context: true})
	}
	return out
}

// promptSource names the flag that gives prompts other than synthetic ones,
// or "" for synthetic prompts: synthetic images, video and prompt shapes go
// with those only.
func promptSource(o *options.Options) string {
	switch {
	case o.InputFile != "":
		return "--input-file"
	case o.PublicDataset != "":
		return "--public-dataset"
	case o.AudioSource == "speech":
		return "--audio-source speech"
	}
	return ""
}

// checkSyntheticOnly refuses the settings that shape synthetic prompts only
// (as in AIPerf, where they belong to the synthetic dataset) with another
// source, or with a transcription form that carries no chat messages.
func checkSyntheticOnly(o *options.Options) error {
	source := promptSource(o)
	if source == "" && o.EndpointType == EndpointTranscription {
		source = "--endpoint-type " + EndpointTranscription
	}
	if source == "" {
		return nil
	}
	for _, f := range []struct {
		flag string
		set  bool
	}{
		{"shared-system-prompt-length", o.SharedSystemPromptLength > 0},
		{"user-context-prompt-length", o.UserContextPromptLength > 0},
		{"seq-dist", o.SequenceDistribution != ""},
	} {
		if f.set {
			return &options.Error{Flag: f.flag, Msg: "shapes synthetic chat prompts only, not with " + source}
		}
	}
	return nil
}
