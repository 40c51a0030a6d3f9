package profile

import (
	"fmt"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/accuracy"
	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// Settings is one parsed `profile` invocation.
type Settings struct {
	Options options.Options
	Profile options.Profile
	// Args is the command line after `profile`, echoed redacted as `CLI Command:`.
	Args []string
	// Set names the flags given (on the command line or as AIPERF_*):
	// --artifact-dir is then used as-is, --failed-request-threshold is on,
	// and input_config lists what was set, as AIPerf's does.
	Set map[string]bool
	// Mock shapes the embedded mock server, started with --mock.
	Mock mockserver.Config
}

// ExitError is why `profile` failed and the exit code that says so: 2 for a
// bad setting or input, 1 for a run that failed or left nothing to report.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

func exit(code int, err error) error { return &ExitError{Code: code, Err: err} }

// Export levels (--export-level), as AIPerf names them.
const (
	ExportSummary = "summary" // CSV and JSON only
	ExportRecords = "records" // also profile_export.jsonl
	ExportRaw     = "raw"     // also profile_export_raw.jsonl
)

// Run is one checked `profile` invocation.
type Run struct {
	o       options.Options
	p       options.Profile
	args    []string
	set     map[string]bool
	mock    mockserver.Config
	seed    int64
	goodput map[string]float64
	startAt time.Time        // --start-at; zero: start at once
	warmup  probe.WarmupLoad // the warmup's own load (--warmup-concurrency, ...)
	names   report.Names     // export file names (--profile-export-prefix)
	acc     *accuracy.Config // --accuracy-benchmark; nil when off
}

// New checks the settings only `profile` has (the shared ones are checked by
// options.Options.Validate) and fixes the random seed: the current time when
// --random-seed is not given. Its errors are *options.Error (exit 2).
func New(s Settings) (*Run, error) {
	r := &Run{o: s.Options, p: s.Profile, args: s.Args, set: s.Set, mock: s.Mock}
	if err := notYetSupported(&r.p); err != nil {
		return nil, err
	}
	if r.p.FailedRequestThreshold < 0 || r.p.FailedRequestThreshold > 1 {
		return nil, &options.Error{Flag: "failed-request-threshold", Msg: fmt.Sprintf("must be a ratio between 0 and 1 (AIPerf's unit), got %g", r.p.FailedRequestThreshold)}
	}
	switch r.p.ExportLevel {
	case ExportSummary:
		if r.p.Plot {
			return nil, &options.Error{Flag: "plot", Msg: "needs the records: --export-level records or raw"}
		}
	case ExportRecords, ExportRaw:
	default:
		return nil, &options.Error{Flag: "export-level", Msg: fmt.Sprintf("must be summary, records or raw, got %q", r.p.ExportLevel)}
	}
	names, err := ExportNames(r.p)
	if err != nil {
		return nil, err
	}
	r.names = names
	if r.warmup, err = warmupLoad(&r.p, r.set); err != nil {
		return nil, err
	}
	if err := checkTransport(&r.p); err != nil {
		return nil, err
	}
	if r.p.StartAt != "" {
		at, err := ParseStartAt(r.p.StartAt)
		if err != nil {
			return nil, &options.Error{Flag: "start-at", Msg: err.Error()}
		}
		r.startAt = at
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
	if r.acc, err = accuracyConfig(&r.p, r.set); err != nil {
		return nil, err
	}
	if err := accuracyAlone(r.acc, &r.o); err != nil {
		return nil, err
	}
	r.seed = r.o.RandomSeed
	if r.seed == 0 {
		r.seed = time.Now().UnixNano()
	}
	return r, nil
}

// ExportNames are the export files' names from --profile-export-prefix or
// its alias --profile-export-file (AIPerf's two names of one setting).
func ExportNames(p options.Profile) (report.Names, error) {
	flag, prefix := "profile-export-prefix", p.ProfileExportPrefix
	if p.ProfileExportFile != "" {
		if prefix != "" && prefix != p.ProfileExportFile {
			return report.Names{}, &options.Error{Flag: "profile-export-file", Msg: fmt.Sprintf("%q differs from --profile-export-prefix %q: they are one setting", p.ProfileExportFile, prefix)}
		}
		flag, prefix = "profile-export-file", p.ProfileExportFile
	}
	names, err := report.NamesFor(prefix)
	if err != nil {
		return report.Names{}, &options.Error{Flag: flag, Msg: err.Error()}
	}
	return names, nil
}

// notYetSupported refuses AIPerf flags this tool accepts only at their default
// (options.Profile lists them), naming the flag and what is missing.
func notYetSupported(p *options.Profile) error {
	for _, c := range refusals(p) {
		if !c.off {
			return &options.Error{Flag: c.flag, Msg: "not yet supported: " + c.why}
		}
	}
	return nil
}

// refusal is one flag notYetSupported refuses away from its default.
type refusal struct {
	flag, why string
	off       bool // the flag is at its default
}

// refusals lists every refused flag with whether p leaves it at its default.
func refusals(p *options.Profile) []refusal {
	return []refusal{
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
		{"transport", "only the http transport exists", p.Transport == "http"},
		{"reset-kv-cache", "a KV-cache reset before the run", !p.ResetKVCache},
		{"reset-kv-cache-timeout-seconds", "a KV-cache reset before the run", p.ResetKVCacheTimeout == 0},
		{"reset-kv-cache-path", "a KV-cache reset before the run", p.ResetKVCachePath == ""},
		{"server-profiler", "starting and stopping the server's profiler", !p.ServerProfiler},
		{"server-profiler-timeout-seconds", "starting and stopping the server's profiler", p.ServerProfilerTimeout == 0},
		{"server-profiler-start-path", "starting and stopping the server's profiler", p.ServerProfilerStartPath == ""},
		{"server-profiler-stop-path", "starting and stopping the server's profiler", p.ServerProfilerStopPath == ""},
		{"download-video-content", "video generation endpoints", !p.DownloadVideoContent},
		{"uuid-and-strip", "images (vLLM multimodal cache stripping)", !p.UUIDAndStrip},
		{"apply-chat-template", "counting input tokens through the chat template", !p.ApplyChatTemplate},
		{"hf-subset", "other Hugging Face dataset subsets", p.HFSubset == ""},
		{"hf-weka-dataset", "Weka trace datasets", p.HFWekaDataset == ""},
		{"dataset-filter", "public dataset filters", len(p.DatasetFilter) == 0},
		{"use-think-time-only", "Weka traces", !p.UseThinkTimeOnly},
		{"max-context-length", "Weka traces", p.MaxContextLength == 0},
		{"dataset-sampling-strategy", "choosing how dataset entries are sampled", p.DatasetSamplingStrategy == ""},
		{"allow-dataset-wrap", "agentic trace replay", !p.AllowDatasetWrap},
		{"trace-session-sample-ratio", "baseten traces", p.TraceSessionSampleRatio == 0},
		{"config", "AIPerf's YAML config files (give the flags instead)", p.AIPerfConfig == ""},
		{"inter-turn-delay-cap-seconds", "trace delay caps", p.InterTurnDelayCap == 0},
		{"max-idle-gap-cap-seconds", "baseten traces", p.MaxIdleGapCap == 0},
		{"replay-speedup", "baseten traces", p.ReplaySpeedup == 0},
		{"no-open-loop-replay", "baseten traces", !p.NoOpenLoopReplay},
		{"open-loop-strict", "baseten traces", !p.OpenLoopStrict},
		{"omit-kv-hints", "baseten traces", !p.OmitKVHints},
		{"no-force-min-tokens", "baseten traces", !p.NoForceMinTokens},
		{"prompt-corpus", "the coding corpus", p.PromptCorpus == "sonnet"},
		{"cache-bust", "cache-bust markers", p.CacheBust == "none"},
		{"shared-system-prompt-length", "a shared system prompt", p.SharedSystemPromptLength == 0},
		{"user-context-prompt-length", "per-session user context prompts", p.UserContextPromptLength == 0},
		{"seq-dist", "ISL/OSL pair distributions", p.SequenceDistribution == ""},
		{"image-source", "synthetic images", p.ImageSource == "noise"},
		{"image-source-sampling", "synthetic images", p.ImageSourceSampling == "random-with-replacement"},
		{"video-batch-size", "synthetic video", p.VideoBatchSize == 1},
		{"video-duration", "synthetic video", p.VideoDuration == 5},
		{"video-fps", "synthetic video", p.VideoFPS == 4},
		{"video-width", "synthetic video", p.VideoWidth == 0},
		{"video-height", "synthetic video", p.VideoHeight == 0},
		{"video-synth-type", "synthetic video", p.VideoSynthType == "moving_shapes"},
		{"video-format", "synthetic video", p.VideoFormat == "webm"},
		{"video-codec", "synthetic video", p.VideoCodec == "libvpx-vp9"},
		{"video-audio-sample-rate", "synthetic video", p.VideoAudioSampleRate == 44100},
		{"video-audio-num-channels", "synthetic video", p.VideoAudioNumChannels == 0},
		{"video-audio-codec", "synthetic video", p.VideoAudioCodec == ""},
		{"video-audio-depth", "synthetic video", p.VideoAudioDepth == 16},
		{"rankings-passages-mean", "rankings endpoints", p.RankingsPassagesMean == 1},
		{"rankings-passages-stddev", "rankings endpoints", p.RankingsPassagesStddev == 0},
		{"rankings-passages-prompt-token-mean", "rankings endpoints", p.RankingsPassagesTokenMean == 550},
		{"rankings-passages-prompt-token-stddev", "rankings endpoints", p.RankingsPassagesTokenStddev == 0},
		{"rankings-query-prompt-token-mean", "rankings endpoints", p.RankingsQueryTokenMean == 550},
		{"rankings-query-prompt-token-stddev", "rankings endpoints", p.RankingsQueryTokenStddev == 0},
		{"synthesis-speedup-ratio", "trace synthesis", p.SynthesisSpeedupRatio == 1},
		{"synthesis-prefix-len-multiplier", "trace synthesis", p.SynthesisPrefixLenMultiplier == 1},
		{"synthesis-prefix-root-multiplier", "trace synthesis", p.SynthesisPrefixRootMultiplier == 1},
		{"synthesis-prompt-len-multiplier", "trace synthesis", p.SynthesisPromptLenMultiplier == 1},
		{"synthesis-output-len-multiplier", "trace synthesis", p.SynthesisOutputLenMultiplier == 1},
		{"synthesis-max-isl", "trace synthesis", p.SynthesisMaxISL == 0},
		{"synthesis-max-osl", "trace synthesis", p.SynthesisMaxOSL == 0},
		{"prefill-concurrency", "a prefill concurrency limit", p.PrefillConcurrency == 0},
		{"prefill-concurrency-ramp-duration", "a prefill concurrency limit", p.PrefillConcurrencyRampDuration == 0},
		{"request-rate-series", "piecewise request-rate series", p.RequestRateSeries == ""},
		{"trajectory-start-min-ratio", "agentic trace replay", p.TrajectoryStartMinRatio == 0.25},
		{"trajectory-start-max-ratio", "agentic trace replay", p.TrajectoryStartMaxRatio == 0.75},
		{"burst-phase-starts", "agentic trace replay", !p.BurstPhaseStarts},
		{"trace-idle-gap-cap-seconds", "Weka traces", p.TraceIdleGapCap == 0},
		{"system-idle-gap-cap-seconds", "agentic trace replay", p.SystemIdleGapCap == 0},
		{"scenario", "AIPerf's locked scenarios", p.AIPerfScenario == ""},
		{"agentic-cache-warmup-duration", "agentic trace replay", p.AgenticCacheWarmupDuration == 0},
		{"agentic-warmup-grace-period", "agentic trace replay", p.AgenticWarmupGracePeriod == 0},
		{"warmup-prefill-concurrency", "a prefill concurrency limit, in the warmup too", p.WarmupPrefillConcurrency == 0},
		{"warmup-prefill-concurrency-ramp-duration", "a prefill concurrency limit, in the warmup too", p.WarmupPrefillConcurrencyRampDuration == 0},
		{"user-centric-rate", "user-centric rate limiting", p.UserCentricRate == 0},
		{"num-users", "user-centric rate limiting", p.NumUsers == 0},
		{"export-outputs-json", "outputs.json (the responses' text is counted and scored as it arrives, never kept)", !p.ExportOutputsJSON},
		{"otel-url", "OpenTelemetry export (serve's /metrics is this tool's live stream)", p.OTelURL == ""},
		{"stream", "OpenTelemetry export (serve's /metrics is this tool's live stream)", len(p.Stream) == 0},
		{"otel-resource-attributes", "OpenTelemetry export", len(p.OTelResourceAttributes) == 0},
		{"gen-ai-provider", "OpenTelemetry export", p.GenAIProvider == ""},
		{"mlflow-tracking-uri", "MLflow upload", p.MLflowTrackingURI == ""},
		{"mlflow-experiment", "MLflow upload", p.MLflowExperiment == ""},
		{"mlflow-run-name", "MLflow upload", p.MLflowRunName == ""},
		{"mlflow-tag", "MLflow upload", len(p.MLflowTag) == 0},
		{"mlflow-parent-run-id", "MLflow upload", p.MLflowParentRunID == ""},
		{"mlflow-artifact-glob", "MLflow upload", len(p.MLflowArtifactGlob) == 0},
		{"wandb-project", "Weights & Biases upload", p.WandbProject == ""},
		{"wandb-entity", "Weights & Biases upload", p.WandbEntity == ""},
		{"wandb-run-name", "Weights & Biases upload", p.WandbRunName == ""},
		{"wandb-tag", "Weights & Biases upload", len(p.WandbTag) == 0},
		{"export-http-trace", "HTTP trace data", !p.ExportHTTPTrace},
		{"show-trace-timing", "HTTP trace timing", !p.ShowTraceTiming},
		{"network-latency-automatic", "network latency adjustment", !p.NetworkLatencyAutomatic},
		{"network-latency-mean", "network latency adjustment", p.NetworkLatencyMean == 0},
		{"network-latency-ping-interval", "network latency adjustment", p.NetworkLatencyPingInterval == 0},
		{"api-port", "AIPerf's own API server (serve's /metrics is this tool's live view)", p.APIPort == 0},
		{"api-host", "AIPerf's own API server", p.APIHost == ""},
		{"search-space", "adaptive search (Bayesian optimisation)", len(p.SearchSpace) == 0},
		{"search-metric", "adaptive search (Bayesian optimisation)", p.SearchMetric == ""},
		{"search-stat", "adaptive search (Bayesian optimisation)", p.SearchStat == ""},
		{"search-direction", "adaptive search (Bayesian optimisation)", p.SearchDirection == ""},
		{"search-max-iterations", "adaptive search (Bayesian optimisation)", p.SearchMaxIterations == ""},
		{"search-initial-points", "adaptive search (Bayesian optimisation)", p.SearchInitialPoints == ""},
		{"search-random-seed", "adaptive search (Bayesian optimisation)", p.SearchRandomSeed == ""},
		{"search-planner", "adaptive search (Bayesian optimisation)", p.SearchPlanner == ""},
		{"search-percentile-pooling", "adaptive search (Bayesian optimisation)", p.SearchPercentilePooling == ""},
		{"optuna-sampler", "adaptive search with Optuna", p.OptunaSampler == ""},
		{"optuna-acquisition", "adaptive search with Optuna", p.OptunaAcquisition == ""},
		{"optuna-terminator", "adaptive search with Optuna", p.OptunaTerminator == ""},
		{"variant", "named sweep variations (give --concurrency, --request-rate, --isl, --osl lists)", len(p.Variant) == 0},
		{"search-sla", "SLA-filtered search", len(p.SearchSLA) == 0},
		{"search-sla-tier", "multi-tier SLA search", len(p.SearchSLATier) == 0},
		{"error-rate-sla", "an error-rate SLA (no request_error_rate metric here)", p.ErrorRateSLA == ""},
		{"slo-attainment-fraction", "the max-goodput-under-slo recipe", p.SLOAttainmentFraction == ""},
	}
}

// thresholdGiven: --failed-request-threshold is off unless given (AIPerf's
// default is None), so 0 means "no failure at all".
func (r *Run) thresholdGiven() bool { return r.set["failed-request-threshold"] }

// tooManyFailed is AIPerf's early abort (--failed-request-threshold): once
// max(concurrency, 10) requests have finished, a failed share above the
// threshold stops the run.
func (r *Run) tooManyFailed(done, failed int) bool {
	if !r.thresholdGiven() || done < max(r.o.EffectiveConcurrency(), 10) {
		return false
	}
	return float64(failed)/float64(done) > r.p.FailedRequestThreshold
}
