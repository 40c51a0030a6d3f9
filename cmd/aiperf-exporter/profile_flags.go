package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
)

// parseProfile parses and validates the settings of `profile`: defaults <
// AIPERF_* environment < flags, as `serve` reads them.
func parseProfile(args []string, stdout, stderr io.Writer) (*profileRun, error) {
	r := &profileRun{args: args}
	fs := flag.NewFlagSet("profile", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	r.mock.register(fs, mockPrefix, 20, 5)
	set, err := parseSettings(fs, args, &r.o, &r.p)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, "Usage: aiperf-exporter profile [flags]\n\n"+
				"Runs once against --url (or the embedded mock with --mock) and writes AIPerf's report.\n"+
				"Flags take AIPerf's names; --flag value and --flag=value both work; lists take commas or repeats.\n"+
				"Every flag can also be set with its AIPERF_* variable; flags win over the environment.\n\nFlags:\n")
			options.PrintFlags(stdout, fs)
		}
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (flags take --name value)", fs.Arg(0))
	}
	r.set = set
	if r.o.Mock && len(r.o.Models) == 0 {
		r.o.Models = []string{mockModel}
	}
	if err := r.o.Validate(); err != nil {
		return nil, err
	}
	if err := notYetSupported(&r.p); err != nil {
		return nil, err
	}
	if r.p.FailedRequestThreshold < 0 || r.p.FailedRequestThreshold > 1 {
		return nil, &options.Error{Flag: "failed-request-threshold", Msg: fmt.Sprintf("must be a ratio between 0 and 1 (AIPerf's unit), got %g", r.p.FailedRequestThreshold)}
	}
	if r.o.Goodput != "" {
		g, err := metrics.ParseGoodput(r.o.Goodput)
		if err != nil {
			return nil, &options.Error{Flag: "goodput", Msg: err.Error()}
		}
		if err := metrics.CheckGoodput(g, r.o.Streaming, r.o.EndpointType); err != nil {
			return nil, &options.Error{Flag: "goodput", Msg: err.Error()}
		}
		r.goodput = g
	}
	r.seed = r.o.RandomSeed
	if r.seed == 0 {
		r.seed = time.Now().UnixNano()
	}
	return r, nil
}

// inputConfig is the JSON export's input_config: the settings that were given or
// derived, grouped as AIPerf groups them. Secrets are never included.
func (r *profileRun) inputConfig(dir string, cfg probe.Config) json.RawMessage {
	o := &r.o
	urls := make([]string, len(o.URLs)) // credentials in a URL never reach the export
	for i, u := range o.URLs {
		urls[i] = probe.RedactURL(u)
	}
	endpoint := map[string]any{"model_names": o.Models, "type": o.EndpointType, "streaming": o.Streaming, "url": urls[0]}
	if len(urls) > 1 {
		endpoint["urls"] = urls
	}
	if o.Endpoint != "" {
		endpoint["custom_endpoint"] = o.Endpoint
	}
	input := map[string]any{}
	if o.RandomSeed != 0 { // a drawn seed is in the log, not here: AIPerf dumps what was set
		input["random_seed"] = o.RandomSeed
	}
	if o.AudioLengthMean > 0 {
		input["audio"] = map[string]any{
			"length": map[string]any{"mean": o.AudioLengthMean, "stddev": o.AudioLengthStddev},
			"format": o.AudioFormat, "sample_rates": o.AudioSampleRates, "depths": o.AudioDepths,
			"num_channels": o.AudioChannels, "batch_size": o.AudioBatchSize,
		}
	}
	// AIPerf dumps only what was set (or derived): values at their defaults
	// are left out, as its exclude_unset dump of the user config does.
	prompt := map[string]any{}
	given := func(names ...string) bool {
		for _, n := range names {
			if r.set[n] {
				return true
			}
		}
		return false
	}
	in := map[string]any{}
	if o.InputTokensMean != 550 || given("synthetic-input-tokens-mean", "prompt-input-tokens-mean", "isl") {
		in["mean"] = o.InputTokensMean
	}
	if o.InputTokensStddev != 0 || given("synthetic-input-tokens-stddev") {
		in["stddev"] = o.InputTokensStddev
	}
	out := map[string]any{}
	if o.OutputTokensMean != 0 || given("output-tokens-mean", "osl") {
		out["mean"] = o.OutputTokensMean
	}
	if o.OutputTokensStddev != 0 || given("output-tokens-stddev") {
		out["stddev"] = o.OutputTokensStddev
	}
	if len(in) > 0 {
		prompt["input_tokens"] = in
	}
	if len(out) > 0 {
		prompt["output_tokens"] = out
	}
	if len(prompt) > 0 {
		input["prompt"] = prompt
	}
	if len(r.goodput) > 0 {
		input["goodput"] = r.goodput // AIPerf keeps --goodput in its input config
	}
	if o.InputFile != "" {
		input["file"] = o.InputFile
		input["custom_dataset_type"] = o.CustomDatasetType
	}
	loadgen := map[string]any{"concurrency": o.EffectiveConcurrency()}
	if cfg.RequestCount > 0 {
		loadgen["request_count"] = cfg.RequestCount
	}
	if o.RequestRate > 0 {
		loadgen["request_rate"] = o.RequestRate
		loadgen["request_rate_mode"] = o.ArrivalPattern // AIPerf's name in its loadgen config
	}
	if o.Duration > 0 {
		loadgen["benchmark_duration"] = o.Duration
		loadgen["benchmark_grace_period"] = o.GracePeriod
	}
	if o.WarmupCount > 0 {
		loadgen["warmup_request_count"] = o.WarmupCount
	}
	if o.CancelRate > 0 {
		loadgen["request_cancellation_rate"] = o.CancelRate
		loadgen["request_cancellation_delay"] = o.CancelDelay
	}
	cfgOut := map[string]any{
		"endpoint": endpoint, "input": input, "loadgen": loadgen,
		"output":      map[string]any{"artifact_directory": dir},
		"cli_command": r.command(),
	}
	b, err := json.Marshal(cfgOut)
	if err != nil {
		return nil
	}
	return b
}

// notYetSupported refuses AIPerf flags this tool accepts only at their default
// (options.Profile lists them), naming the flag and what is missing.
func notYetSupported(p *options.Profile) error {
	checks := []struct {
		flag, why string
		off       bool
	}{
		{"conversation-turn-mean", "synthetic multi-turn conversations (use --input-file with multi_turn)", p.ConversationTurnMean == 1},
		{"conversation-turn-stddev", "synthetic multi-turn conversations", p.ConversationTurnStddev == 0},
		{"conversation-turn-delay-mean", "synthetic multi-turn conversations", p.ConversationTurnDelayMean == 0},
		{"conversation-turn-delay-stddev", "synthetic multi-turn conversations", p.ConversationTurnDelayStddev == 0},
		{"conversation-turn-delay-ratio", "synthetic multi-turn conversations", p.ConversationTurnDelayRatio == 1},
		{"synthetic-input-tokens-block-size", "a trace block size other than 512", p.InputTokensBlockSize == 512},
		{"prompt-batch-size", "several texts per request", p.PromptBatchSize == 1},
		{"image-width-mean", "synthetic images", p.ImageWidthMean == 0},
		{"image-width-stddev", "synthetic images", p.ImageWidthStddev == 0},
		{"image-height-mean", "synthetic images", p.ImageHeightMean == 0},
		{"image-height-stddev", "synthetic images", p.ImageHeightStddev == 0},
		{"image-batch-size", "synthetic images", p.ImageBatchSize == 1},
		{"image-format", "synthetic images", p.ImageFormat == ""},
		{"tokenizer-revision", "Hub tokenizers (give --tokenizer a local tokenizer.json)", p.TokenizerRevision == "main"},
		{"tokenizer-trust-remote-code", "Hub tokenizers (give --tokenizer a local tokenizer.json)", !p.TokenizerTrustRemoteCode},
		{"public-dataset", "public datasets (give --input-file)", p.PublicDataset == ""},
		{"profile-export-file", "other export file names", p.ProfileExportFile == ""},
		{"profile-export-prefix", "other export file names", p.ProfileExportPrefix == ""},
	}
	for _, c := range checks {
		if !c.off {
			return &options.Error{Flag: c.flag, Msg: "not yet supported: " + c.why}
		}
	}
	return nil
}
