package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
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
	r.mock = options.Mock{TTFTms: 20, ITLms: 5}
	set, err := options.Parse(fs, args, &r.o, &r.p, &r.mock)
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
	if r.p.FailedRequestThreshold < 0 || r.p.FailedRequestThreshold > 100 {
		return nil, &options.Error{Flag: "failed-request-threshold", Msg: fmt.Sprintf("must be between 0 and 100, got %g", r.p.FailedRequestThreshold)}
	}
	if err := options.CheckNumbers(&r.p, &r.mock); err != nil {
		return nil, err
	}
	if r.o.Goodput != "" {
		g, err := metrics.ParseGoodput(r.o.Goodput)
		if err != nil {
			return nil, &options.Error{Flag: "goodput", Msg: err.Error()}
		}
		for tag, v := range g { // a NaN SLO would switch the goal off
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, &options.Error{Flag: "goodput", Msg: fmt.Sprintf("%s: %g is not a finite number", tag, v)}
			}
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
	input := map[string]any{"random_seed": r.seed}
	if o.AudioLengthMean > 0 {
		input["audio"] = map[string]any{
			"length": map[string]any{"mean": o.AudioLengthMean, "stddev": o.AudioLengthStddev},
			"format": o.AudioFormat, "sample_rates": o.AudioSampleRates, "depths": o.AudioDepths,
			"num_channels": o.AudioChannels, "batch_size": o.AudioBatchSize,
		}
	}
	input["prompt"] = map[string]any{
		"input_tokens":  map[string]any{"mean": o.InputTokensMean, "stddev": o.InputTokensStddev},
		"output_tokens": map[string]any{"mean": o.OutputTokensMean, "stddev": o.OutputTokensStddev},
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
		loadgen["arrival_pattern"] = o.ArrivalPattern
		if o.ArrivalPattern == "gamma" {
			loadgen["arrival_smoothness"] = o.ArrivalSmoothness
		}
	}
	if o.Duration > 0 {
		loadgen["benchmark_duration"] = o.Duration
		loadgen["benchmark_grace_period"] = o.GracePeriod
		if math.IsInf(o.GracePeriod, 1) { // JSON has no infinity; AIPerf's flag spells it inf
			loadgen["benchmark_grace_period"] = "inf"
		}
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
	if len(r.goodput) > 0 {
		cfgOut["goodput"] = r.goodput
	}
	b, err := json.Marshal(cfgOut)
	if err != nil {
		return nil
	}
	return b
}
