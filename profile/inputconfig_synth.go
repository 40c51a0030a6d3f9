package profile

// synthInputConfig adds to input_config the synthetic multi-turn and prompt
// settings given away from their defaults, under the names of AIPerf's
// conversation and prompt configs (conversation.turn.delay.ratio,
// prompt.input_tokens.block_size, prompt.sequence_distribution).
func (r *Run) synthInputConfig(input, prompt map[string]any) {
	o := &r.o
	turn := map[string]any{}
	putAway(turn, "mean", o.ConversationTurnMean, 1)
	putAway(turn, "stddev", o.ConversationTurnStddev, 0)
	delay := map[string]any{}
	putAway(delay, "mean", o.ConversationTurnDelayMean, 0)
	putAway(delay, "stddev", o.ConversationTurnDelayStddev, 0)
	putAway(delay, "ratio", o.ConversationTurnDelayRatio, 1)
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
	putAway(prompt, "sequence_distribution", o.SequenceDistribution, "")
}
