package profile

import (
	"encoding/json"
	"math"

	"github.com/aiperf-exporter/aiperf-exporter/internal/redact"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
)

// inputConfig is the JSON export's input_config: the settings that were given or
// derived, grouped as AIPerf groups them. Secrets are never included.
func (r *Run) inputConfig(dir string, cfg probe.Config) json.RawMessage {
	o := &r.o
	urls := make([]string, len(o.URLs)) // credentials in a URL never reach the export
	for i, u := range o.URLs {
		urls[i] = redact.URL(u)
	}
	endpoint := map[string]any{"model_names": o.Models, "type": o.EndpointType, "streaming": o.Streaming, "url": urls[0]}
	if len(urls) > 1 {
		endpoint["urls"] = urls
	}
	if o.Endpoint != "" {
		endpoint["custom_endpoint"] = o.Endpoint
	}
	if o.UUIDAndStrip {
		endpoint["uuid_and_strip"] = true // AIPerf's EndpointConfig field, dumped when set
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
	if o.ImageBatchSize > 0 {
		input["image"] = map[string]any{
			"width":      map[string]any{"mean": o.ImageWidthMean, "stddev": o.ImageWidthStddev},
			"height":     map[string]any{"mean": o.ImageHeightMean, "stddev": o.ImageHeightStddev},
			"batch_size": o.ImageBatchSize, "format": o.ImageFormat,
			"source": o.ImageSource, "source_sampling": o.ImageSourceSampling,
		}
	}
	if o.VideoBatchSize > 0 {
		video := map[string]any{
			"batch_size": o.VideoBatchSize, "duration": o.VideoDuration, "fps": o.VideoFPS,
			"width": o.VideoWidth, "height": o.VideoHeight, "synth_type": o.VideoSynthType,
			"format": o.VideoFormat, "codec": o.VideoCodec,
		}
		if o.VideoAudioNumChannels > 0 {
			video["audio"] = map[string]any{"sample_rate": o.VideoAudioSampleRate, "channels": o.VideoAudioNumChannels,
				"codec": o.VideoAudioCodec, "depth": o.VideoAudioDepth}
		}
		input["video"] = video
	}
	// AIPerf dumps only what was set (or derived): values at their defaults
	// are left out, as its exclude_unset dump of the user config does.
	prompt := map[string]any{}
	in := map[string]any{} // r.set names a setting given by any alias by its flag
	if o.InputTokensMean != 550 || r.set["synthetic-input-tokens-mean"] {
		in["mean"] = o.InputTokensMean
	}
	if o.InputTokensStddev != 0 || r.set["synthetic-input-tokens-stddev"] {
		in["stddev"] = o.InputTokensStddev
	}
	out := map[string]any{}
	if o.OutputTokensMean != 0 || r.set["output-tokens-mean"] {
		out["mean"] = o.OutputTokensMean
	}
	if o.OutputTokensStddev != 0 || r.set["output-tokens-stddev"] {
		out["stddev"] = o.OutputTokensStddev
	}
	if len(in) > 0 {
		prompt["input_tokens"] = in
	}
	if len(out) > 0 {
		prompt["output_tokens"] = out
	}
	r.synthInputConfig(input, prompt)
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
	if o.HFWekaDataset != "" {
		input["hf_weka_dataset"] = o.HFWekaDataset
	}
	if synthesis := synthesisConfig(o); len(synthesis) > 0 {
		input["synthesis"] = synthesis
	}
	loadgen := map[string]any{"concurrency": o.EffectiveConcurrency()}
	if cfg.RequestCount > 0 {
		loadgen["request_count"] = cfg.RequestCount
	}
	if o.RequestRate > 0 {
		loadgen["request_rate"] = o.RequestRate
		loadgen["request_rate_mode"] = o.ArrivalPattern // AIPerf's name in its loadgen config
		if o.ArrivalPattern == "gamma" {
			loadgen["arrival_smoothness"] = o.ArrivalSmoothness
		}
	}
	if (len(r.sched.series) > 0 || r.sched.users.Rate > 0) && o.Concurrency == 0 {
		delete(loadgen, "concurrency") // no closed loop of one ran: the schedule set the pace
	}
	if r.p.RequestRateSeries != "" {
		loadgen["request_rate_series"] = r.p.RequestRateSeries
		loadgen["request_rate_mode"] = o.ArrivalPattern
	}
	for key, v := range map[string]float64{ // AIPerf's names of the prefill limits, when given
		"prefill_concurrency":                      float64(r.p.PrefillConcurrency),
		"prefill_concurrency_ramp_duration":        r.p.PrefillConcurrencyRampDuration,
		"warmup_prefill_concurrency":               float64(r.p.WarmupPrefillConcurrency),
		"warmup_prefill_concurrency_ramp_duration": r.p.WarmupPrefillConcurrencyRampDuration,
	} {
		if v > 0 {
			loadgen[key] = v
		}
	}
	if o.InterTurnDelayCap > 0 {
		loadgen["inter_turn_delay_cap_seconds"] = o.InterTurnDelayCap
	}
	if r.p.UserCentricRate > 0 {
		loadgen["user_centric_rate"] = r.p.UserCentricRate
		loadgen["num_users"] = r.p.NumUsers
	}
	if o.Duration > 0 {
		loadgen["benchmark_duration"] = o.Duration
		loadgen["benchmark_grace_period"] = o.GracePeriod
		if math.IsInf(o.GracePeriod, 1) { // JSON has no infinity; AIPerf's flag spells it inf
			loadgen["benchmark_grace_period"] = "inf"
		}
	}
	if o.WarmupDuration > 0 {
		loadgen["warmup_duration"] = o.WarmupDuration
	}
	if o.WarmupCount > 0 {
		loadgen["warmup_request_count"] = o.WarmupCount
	}
	if r.p.NumWarmupSessions > 0 {
		loadgen["warmup_num_sessions"] = r.p.NumWarmupSessions
	}
	if r.p.WarmupConcurrency > 0 {
		loadgen["warmup_concurrency"] = r.p.WarmupConcurrency
	}
	for key, v := range map[string]float64{ // AIPerf's names of the warmup's own load, when given
		"warmup_request_rate":               r.p.WarmupRequestRate,
		"warmup_concurrency_ramp_duration":  r.p.WarmupConcurrencyRampDuration,
		"warmup_request_rate_ramp_duration": r.p.WarmupRequestRateRampDuration,
	} {
		if v > 0 {
			loadgen[key] = v
		}
	}
	if r.p.WarmupArrivalPattern != "" {
		loadgen["warmup_arrival_pattern"] = r.p.WarmupArrivalPattern
	}
	if r.warmup.GraceSet {
		loadgen["warmup_grace_period"] = r.p.WarmupGracePeriod
	}
	if o.CancelRate > 0 {
		loadgen["request_cancellation_rate"] = o.CancelRate
		loadgen["request_cancellation_delay"] = o.CancelDelay
	}
	output := map[string]any{"artifact_directory": dir}
	if r.p.SliceDuration > 0 {
		output["slice_duration"] = r.p.SliceDuration // `report DIR` rebuilds the slices with it
	}
	cfgOut := map[string]any{
		"endpoint": endpoint, "input": input, "loadgen": loadgen,
		"output":      output,
		"cli_command": r.command(),
	}
	if r.p.ApplyChatTemplate {
		cfgOut["tokenizer"] = map[string]any{"apply_chat_template": true} // AIPerf's TokenizerConfig field
	}
	b, err := json.Marshal(cfgOut)
	if err != nil {
		return nil
	}
	return b
}
