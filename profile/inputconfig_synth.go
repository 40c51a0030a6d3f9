package profile

// synthInputConfig adds to input_config the synthetic multi-turn and prompt
// settings given away from their defaults, under the names of AIPerf's
// conversation and prompt configs (conversation.turn.delay.ratio,
// prompt.input_tokens.block_size, prompt.sequence_distribution).
func (r *Run) synthInputConfig(input, prompt map[string]any) {
	o := &r.o
	turn := map[string]any{}
	if o.ConversationTurnMean != 1 {
		turn["mean"] = o.ConversationTurnMean
	}
	if o.ConversationTurnStddev != 0 {
		turn["stddev"] = o.ConversationTurnStddev
	}
	delay := map[string]any{}
	if o.ConversationTurnDelayMean != 0 {
		delay["mean"] = o.ConversationTurnDelayMean
	}
	if o.ConversationTurnDelayStddev != 0 {
		delay["stddev"] = o.ConversationTurnDelayStddev
	}
	if o.ConversationTurnDelayRatio != 1 {
		delay["ratio"] = o.ConversationTurnDelayRatio
	}
	if len(delay) > 0 {
		turn["delay"] = delay
	}
	if len(turn) > 0 {
		input["conversation"] = map[string]any{"turn": turn}
	}
	if o.InputTokensBlockSize != 512 {
		in, _ := prompt["input_tokens"].(map[string]any)
		if in == nil {
			in = map[string]any{}
			prompt["input_tokens"] = in
		}
		in["block_size"] = o.InputTokensBlockSize
	}
	if o.SequenceDistribution != "" {
		prompt["sequence_distribution"] = o.SequenceDistribution
	}
}
