package options

import (
	"fmt"
	"math"
	"strings"
	"time"

	"golang.org/x/net/http/httpguts"

	"github.com/aiperf-exporter/aiperf-exporter/endpoint"
	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
)

// Error is a bad setting: it names the flag and its AIPERF_* variable.
type Error struct {
	Flag string
	Msg  string
}

func (e *Error) Error() string {
	return fmt.Sprintf("--%s (%s): %s", e.Flag, EnvName(e.Flag), e.Msg)
}

func bad(flagName, format string, args ...any) error {
	return &Error{Flag: flagName, Msg: fmt.Sprintf(format, args...)}
}

// DropUnsupportedStreaming turns Streaming off for an endpoint type that
// never streams, as AIPerf does, and returns the warning to show ("" when
// nothing changed).
func (o *Options) DropUnsupportedStreaming() string {
	t, known := endpoint.Lookup(o.EndpointType)
	if !o.Streaming || t.Streams || !known { // Validate names an unknown type
		return ""
	}
	o.Streaming = false
	return fmt.Sprintf("streaming is not supported for --endpoint-type %s, setting streaming to False", o.EndpointType)
}

// EndpointPath is the path requests go to.
func (o *Options) EndpointPath() string {
	if o.Endpoint != "" {
		return "/" + strings.TrimLeft(o.Endpoint, "/")
	}
	t, _ := endpoint.Lookup(o.EndpointType)
	if o.Streaming && t.StreamPath != "" {
		return t.StreamPath // TGI streams on a path of its own
	}
	return t.Path
}

// MaxResponseBudgetMiB bounds --response-budget-mib (1 TiB): MiB shifted to
// bytes must stay far from overflowing.
const MaxResponseBudgetMiB = 1 << 20

// Validate checks every setting and returns the first problem, naming its flag.
func (o *Options) Validate() error {
	if len(o.Models) == 0 {
		return bad("model", "a model name is required")
	}
	if why, ok := endpoint.NotYet(o.EndpointType); ok {
		return bad("endpoint-type", "%s is not yet supported: %s", o.EndpointType, why)
	}
	if _, ok := endpoint.Lookup(o.EndpointType); !ok {
		return bad("endpoint-type", "unknown endpoint type %s (want %s)", clip.Quote(o.EndpointType), endpoint.Names())
	}
	switch o.ModelSelection {
	case "round_robin", "random":
	default:
		return bad("model-selection-strategy", "unknown strategy %s (want round_robin or random)", clip.Quote(o.ModelSelection))
	}
	if len(o.URLs) == 0 {
		return bad("url", "at least one URL is required")
	}
	for _, h := range o.Headers {
		if name, _, ok := strings.Cut(h, ":"); !ok || strings.TrimSpace(name) == "" {
			return bad("header", "%s is not 'Name:Value'", clip.Quote(h))
		}
	}
	if o.RequestTimeout <= 0 {
		return bad("request-timeout-seconds", "must be > 0, got %g", o.RequestTimeout)
	}
	if o.ResponseBudgetMiB < 1 || o.ResponseBudgetMiB > MaxResponseBudgetMiB {
		return bad("response-budget-mib", "must be between 1 and %d, got %d", MaxResponseBudgetMiB, o.ResponseBudgetMiB)
	}
	if !httpguts.ValidHeaderFieldName(o.SessionHeader) {
		return bad("session-header", "%s is not a header name", clip.Quote(o.SessionHeader))
	}
	if err := o.validateLoad(); err != nil {
		return err
	}
	if err := o.validateInputs(); err != nil {
		return err
	}
	if err := o.validateTraces(); err != nil {
		return err
	}
	return CheckNumbers(o)
}

func (o *Options) validateLoad() error {
	switch {
	case o.Concurrency < 0:
		return bad("concurrency", "must be >= 1, got %d", o.Concurrency)
	case o.RequestRate < 0:
		return bad("request-rate", "must be > 0, got %g", o.RequestRate)
	case o.RequestCount < 0:
		return bad("request-count", "must be >= 1, got %d", o.RequestCount)
	case o.WarmupCount < 0:
		return bad("warmup-request-count", "must be >= 0, got %d", o.WarmupCount)
	case o.Duration < 0:
		return bad("benchmark-duration", "must be > 0, got %g", o.Duration)
	case o.Duration > 0 && o.RequestCount > 0:
		return bad("benchmark-duration", "cannot be combined with --request-count")
	case o.GracePeriod < 0:
		return bad("benchmark-grace-period", "must be >= 0, got %g", o.GracePeriod)
	case o.CancelRate < 0 || o.CancelRate > 100:
		return bad("request-cancellation-rate", "must be between 0 and 100, got %g", o.CancelRate)
	case o.CancelDelay < 0:
		return bad("request-cancellation-delay", "must be >= 0, got %g", o.CancelDelay)
	}
	// The pacer waits 1/rate seconds (on average) between requests.
	if gap := 1 / o.RequestRate; o.RequestRate > 0 && gap*float64(time.Second) > float64(maxDuration) {
		return bad("request-rate", "%g is too low (one request every %g seconds is beyond 100 years)", o.RequestRate, gap)
	} else if o.RequestRate > 0 && gap*float64(time.Second) < 1 {
		return bad("request-rate", "%g is too high (one request every %g seconds rounds to 0 ns)", o.RequestRate, gap)
	}
	if err := o.validateArrivals(); err != nil {
		return err
	}
	if err := o.validateRamps(); err != nil {
		return err
	}
	return o.validateReadiness()
}

// validateRamps checks the ramps have a load to ramp, as AIPerf does.
func (o *Options) validateRamps() error {
	switch {
	case o.RequestRateRampDuration > 0 && o.RequestRate <= 0:
		return bad("request-rate-ramp-duration", "needs --request-rate")
	case o.NoFixedSchedule && o.FixedSchedule:
		return bad("no-fixed-schedule", "cannot be combined with --fixed-schedule")
	case o.RequestRateRampDuration > 0 && o.FixedSchedule:
		return bad("request-rate-ramp-duration", "cannot be combined with --fixed-schedule")
	case o.ConcurrencyRampDuration > 0 && o.Concurrency < 1:
		return bad("concurrency-ramp-duration", "needs --concurrency")
	}
	return nil
}

// validateReadiness checks the --wait-for-model-* settings.
func (o *Options) validateReadiness() error {
	switch o.WaitForModelMode {
	case "models", "inference", "both", "health":
	default:
		return bad("wait-for-model-mode", "unknown mode %s (want models, inference, both or health)", clip.Quote(o.WaitForModelMode))
	}
	if o.WaitForModelInterval <= 0 {
		return bad("wait-for-model-interval", "must be > 0, got %g", o.WaitForModelInterval)
	}
	return nil
}

// validateArrivals checks --arrival-pattern and --arrival-smoothness as AIPerf
// does: smoothness is a gamma shape (> 0) and only gamma uses it.
func (o *Options) validateArrivals() error {
	switch o.ArrivalPattern {
	case "poisson", "constant", "gamma":
	case "concurrency_burst":
		if o.RequestRate > 0 {
			return bad("arrival-pattern", "concurrency_burst sends as fast as --concurrency allows and takes no --request-rate")
		}
	default:
		return bad("arrival-pattern", "unknown pattern %s (want poisson, constant, gamma or concurrency_burst)", clip.Quote(o.ArrivalPattern))
	}
	switch {
	case o.ArrivalSmoothness <= 0:
		return bad("arrival-smoothness", "must be > 0, got %g", o.ArrivalSmoothness)
	case o.ArrivalSmoothness != 1 && o.ArrivalPattern != "gamma":
		return bad("arrival-smoothness", "applies only to --arrival-pattern gamma (the pattern is %s)", o.ArrivalPattern)
	}
	return nil
}

func (o *Options) validateInputs() error {
	switch {
	case o.AudioLengthMean < 0:
		return bad("audio-length-mean", "must be >= 0, got %g", o.AudioLengthMean)
	case o.AudioLengthMean > 0 && o.AudioLengthMean < 0.01:
		return bad("audio-length-mean", "must be at least 0.01 seconds, got %g", o.AudioLengthMean)
	case o.AudioLengthStddev < 0:
		return bad("audio-length-stddev", "must be >= 0, got %g", o.AudioLengthStddev)
	case o.AudioFormat != "wav" && o.AudioFormat != "mp3":
		return bad("audio-format", "unknown format %s (want wav or mp3)", clip.Quote(o.AudioFormat))
	case o.AudioSource != "synthetic" && o.AudioSource != "speech":
		return bad("audio-source", "unknown source %s (want synthetic or speech)", clip.Quote(o.AudioSource))
	case o.AudioChannels != 1 && o.AudioChannels != 2:
		return bad("audio-num-channels", "must be 1 or 2, got %d", o.AudioChannels)
	case o.AudioBatchSize < 1:
		return bad("audio-batch-size", "must be >= 1, got %d", o.AudioBatchSize)
	case len(o.AudioSampleRates) == 0:
		return bad("audio-sample-rates", "at least one sample rate is required")
	case len(o.AudioDepths) == 0:
		return bad("audio-depths", "at least one bit depth is required")
	case o.InputTokensMean < 0:
		return bad("synthetic-input-tokens-mean", "must be >= 0, got %d", o.InputTokensMean)
	case o.InputTokensStddev < 0:
		return bad("synthetic-input-tokens-stddev", "must be >= 0, got %g", o.InputTokensStddev)
	case o.OutputTokensMean < 0:
		return bad("output-tokens-mean", "must be >= 0, got %d", o.OutputTokensMean)
	case o.OutputTokensStddev < 0:
		return bad("output-tokens-stddev", "must be >= 0, got %g", o.OutputTokensStddev)
	case o.RankingsPassagesMean < 1:
		return bad("rankings-passages-mean", "must be >= 1, got %d", o.RankingsPassagesMean)
	case o.RankingsPassagesStddev < 0:
		return bad("rankings-passages-stddev", "must be >= 0, got %d", o.RankingsPassagesStddev)
	case o.RankingsPassagesTokenMean < 1:
		return bad("rankings-passages-prompt-token-mean", "must be >= 1, got %d", o.RankingsPassagesTokenMean)
	case o.RankingsPassagesTokenStddev < 0:
		return bad("rankings-passages-prompt-token-stddev", "must be >= 0, got %d", o.RankingsPassagesTokenStddev)
	case o.RankingsQueryTokenMean < 1:
		return bad("rankings-query-prompt-token-mean", "must be >= 1, got %d", o.RankingsQueryTokenMean)
	case o.RankingsQueryTokenStddev < 0:
		return bad("rankings-query-prompt-token-stddev", "must be >= 0, got %d", o.RankingsQueryTokenStddev)
	case o.PromptBatchSize < 1:
		return bad("prompt-batch-size", "must be >= 1, got %d", o.PromptBatchSize)
	case o.NumDatasetEntries < 1:
		return bad("num-dataset-entries", "must be >= 1, got %d", o.NumDatasetEntries)
	case o.PrefixPoolSize < 0:
		return bad("prompt-prefix-pool-size", "must be >= 0, got %d", o.PrefixPoolSize)
	case o.PrefixLength < 0:
		return bad("prompt-prefix-length", "must be >= 0, got %d", o.PrefixLength)
	case o.DatasetSamplingStrategy != "" && o.DatasetSamplingStrategy != "sequential" && o.DatasetSamplingStrategy != "random" && o.DatasetSamplingStrategy != "shuffle":
		return bad("dataset-sampling-strategy", "unknown strategy %s (want sequential, random or shuffle)", clip.Quote(o.DatasetSamplingStrategy))
	case o.CacheBust != "none" && o.CacheBust != "system_prefix" && o.CacheBust != "system_suffix" && o.CacheBust != "first_turn_prefix" && o.CacheBust != "first_turn_suffix":
		return bad("cache-bust", "unknown target %s (want none, system_prefix, system_suffix, first_turn_prefix or first_turn_suffix)", clip.Quote(o.CacheBust))
	case o.CacheBust != "none" && o.EndpointType != "chat":
		return bad("cache-bust", "needs chat requests (--endpoint-type chat), as in AIPerf")
	case o.PromptCorpus != "sonnet" && o.PromptCorpus != "coding":
		return bad("prompt-corpus", "unknown corpus %s (want sonnet or coding)", clip.Quote(o.PromptCorpus))
	case o.ConversationTurnMean < 1:
		return bad("conversation-turn-mean", "must be at least 1 turn, got %g", o.ConversationTurnMean)
	case o.InputTokensBlockSize < 1:
		return bad("synthetic-input-tokens-block-size", "must be >= 1, got %d", o.InputTokensBlockSize)
	case (o.PrefixPoolSize > 0 || o.PrefixLength > 0) && o.SharedSystemPromptLength > 0:
		return bad("shared-system-prompt-length", "cannot be combined with --prompt-prefix-pool-size or --prompt-prefix-length (AIPerf's rule)")
	case (o.PrefixPoolSize > 0 || o.PrefixLength > 0) && o.UserContextPromptLength > 0:
		return bad("user-context-prompt-length", "cannot be combined with --prompt-prefix-pool-size or --prompt-prefix-length (AIPerf's rule)")
	}
	for _, r := range o.AudioSampleRates {
		// A clip's rate is whole hertz in a 32-bit header field.
		if hz := math.Round(r * 1000); r <= 0 || !(hz >= 1 && hz <= math.MaxUint32) {
			return bad("audio-sample-rates", "%g kHz is not a valid sample rate", r)
		}
	}
	for _, d := range o.AudioDepths {
		if d != 8 && d != 16 && d != 24 && d != 32 {
			return bad("audio-depths", "%d is not a valid bit depth (want 8, 16, 24 or 32)", d)
		}
	}
	if o.InputFile != "" && o.AudioLengthMean > 0 {
		return bad("audio-length-mean", "synthetic audio cannot be combined with --input-file")
	}
	return nil
}

// EffectiveConcurrency is the concurrency used: 1 when no load flag was given.
func (o *Options) EffectiveConcurrency() int {
	if o.Concurrency == 0 && o.RequestRate == 0 {
		return 1
	}
	return o.Concurrency
}

// ProfileRequestCount is the request count of a one-shot run: the newer AIPerf
// rule max(10, 2 x concurrency) unless given.
func (o *Options) ProfileRequestCount() int {
	if o.RequestCount > 0 {
		return o.RequestCount
	}
	return max(10, 2*o.EffectiveConcurrency())
}
