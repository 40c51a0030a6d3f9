// Package probe sends requests and turns each into a record: the send (through
// the httpclient package's client), the streaming reader that stamps responses
// on arrival, and the schedulers.
// `profile` and `serve` share it; it is the only measuring path.
package probe

import (
	"fmt"
	"math"
	"net/http"
	"net/textproto"
	"strings"
	"time"

	"github.com/prometheus/common/config"

	"github.com/aiperf-exporter/aiperf-exporter/endpoint"
	"github.com/aiperf-exporter/aiperf-exporter/httpclient"
	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/record"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// Target is one server requests go to.
type Target struct {
	Name string // label value: never carries credentials
	URL  string // full endpoint URL
}

// DefaultRateInFlight caps the requests in flight of an open-loop
// --request-rate run without --concurrency: AIPerf's HTTP connection pool limit
// (AIPERF_HTTP_CONNECTION_LIMIT, 2500). Without a cap, a stalled server made
// the client open connections until file descriptors ran out.
const DefaultRateInFlight = 2500

// rateInFlightCap is DefaultRateInFlight; a variable only so tests can lower it.
var rateInFlightCap = DefaultRateInFlight

// Config is everything the engine needs to run.
type Config struct {
	// budget bounds the response bytes held by this run's requests together;
	// nil: the process-wide responseBudget. Set by tests only.
	budget *budget
	// ResponseBudget is the limit, in bytes, of the process-wide response
	// budget (budget.go) from this run on; 0 leaves it as it is.
	ResponseBudget int

	Targets      []Target
	Streaming    bool
	EndpointType string      // chat or audio_transcription; recorded on every record
	Header       http.Header // sent with every request (Authorization included)
	// SessionHeader carries each conversation's id, in canonical form; "" = X-Correlation-Id.
	SessionHeader string
	Timeout       time.Duration

	Concurrency  int     // closed loop size, or the cap on in-flight requests with a rate (0: DefaultRateInFlight)
	RequestRate  float64 // requests/second; 0 = closed loop
	RequestCount int     // profiling requests; 0 with Duration 0 = run until cancelled
	WarmupCount  int
	// WarmupDuration ends the warmup after this long (or at WarmupCount, if first).
	WarmupDuration time.Duration
	// WarmupSessions ends the warmup once this many conversations have
	// started, each sending all its turns (--num-warmup-sessions).
	WarmupSessions int
	// Warmup is the warmup's own load; zero fields take the run's (load.go).
	Warmup        WarmupLoad
	Duration      time.Duration // send for this long instead of a count
	Grace         time.Duration // in-flight requests may finish this long after Duration; NoGraceLimit: no limit
	BurstInterval time.Duration // send RequestCount requests every interval (daemon)
	CancelRate    float64       // share 0..1 of requests to cancel
	CancelDelay   time.Duration
	FixedSchedule bool // send at the dataset's timestamps
	// NoFixedSchedule sends a dataset with timestamps by the load settings instead.
	NoFixedSchedule bool
	// IgnoreTraceDelays does that too and skips the turns' delays.
	IgnoreTraceDelays bool
	Seed              int64
	Scenario          string
	Schedule          // request context and fixed-schedule window (schedule_config.go)
	// Sampling is the order conversations are taken in (sampling.go).
	Sampling string
	// Agentic, when On, runs AIPerf's agentic replay (agentic.go) instead of
	// the load shapes; set by profile's --scenario.
	Agentic Agentic
	// StartAt, when set, holds the profiling phase until then (after the
	// readiness wait and the warmup), so sharded runs start together.
	StartAt time.Time

	// Token counting: Counter counts text; with ServerTokenCount only the server's
	// usage counts; with PreferUsage the usage wins when the server sends it.
	Counter          tokens.Counter
	ServerTokenCount bool
	PreferUsage      bool

	// ConnectionReuse is AIPerf's --connection-reuse-strategy: pooled (""),
	// never (each request on a new connection, closed after its response) or
	// sticky-user-sessions (a conversation's connection is closed after its
	// last turn; see README for how near this comes).
	ConnectionReuse string
	// ContentType, when set, replaces the body's Content-Type header
	// (--request-content-type).
	ContentType string

	// KeepText copies each response's text (reasoning, then answer) into its
	// record once the response is over (--export-outputs-json); the stream
	// joins it anyway, so the read itself is unchanged.
	KeepText bool

	// NoKernelStamps stamps arrivals in userspace even where the kernel could
	// (--no-kernel-timestamps; stamps.go).
	NoKernelStamps bool

	Client  *http.Client                  // nil: a client tuned for Concurrency
	OnStart func(r *record.Record)        // optional: a request is about to be sent
	Logf    func(format string, a ...any) // optional: warnings (malformed events, ...)

	// Skip, when set, leaves a target out of the round robin while it reports
	// true (the daemon's backoff pauses a dead target alone); when every
	// target is skipped, the turn goes to the next one anyway.
	Skip func(target string) bool

	// OnProfiling, optional, is called once when the warmup (if any) is over,
	// its requests finished, and the profiling phase is about to start; the
	// phase starts when it returns (profile starts the server's profiler there).
	OnProfiling func()

	// DownloadVideo reads a finished video job's content inside the request
	// (--download-video-content); VideoPoll is the wait between a video job's
	// status requests (0: DefaultVideoPoll).
	DownloadVideo bool
	VideoPoll     time.Duration

	secrets []string // credentials masked in error texts (maskSecrets); set by ConfigFrom
}

// replyShape is where an endpoint type's answer sits, from the endpoint
// table; worked out once a run, so a request copies it and looks nothing up.
type replyShape struct {
	textChoices  bool   // a "text" key (a completion choice's, a TGI token's), not a message's content
	responsesAPI bool   // OpenAI Responses API events (responses.go)
	messagesAPI  bool   // Anthropic Messages API events (messages.go)
	tokenIDs     bool   // token ids, no text (vLLM's generate: tokenids.go)
	results      string // the quoted key whose non-empty list answers a type that returns no text
	videoJob     bool   // an asynchronous video job, created then polled (video.go)
}

// replyShapeOf is endpointType's reply shape; an unknown type's is chat's.
func replyShapeOf(endpointType string) replyShape {
	t, _ := endpoint.Lookup(endpointType)
	return replyShape{textChoices: t.Reply == endpoint.ReplyText, responsesAPI: t.Reply == endpoint.ReplyResponses,
		messagesAPI: t.Reply == endpoint.ReplyMessages, tokenIDs: t.Reply == endpoint.ReplyTokenIDs, results: t.ResultKey,
		videoJob: t.Reply == endpoint.ReplyVideoJob}
}

// NoGraceLimit as Config.Grace lets every request in flight at the end of
// Duration finish: an infinite --benchmark-grace-period, as AIPerf takes it.
const NoGraceLimit = time.Duration(math.MaxInt64)

// grace is --benchmark-grace-period as a duration (validated: >= 0, or +Inf).
func grace(seconds float64) time.Duration {
	if math.IsInf(seconds, 1) {
		return NoGraceLimit
	}
	return time.Duration(seconds * float64(time.Second))
}

// ConfigFrom translates validated options into an engine config.
func ConfigFrom(o *options.Options, scenario string) (Config, error) {
	c := Config{
		Streaming:         o.Streaming,
		DownloadVideo:     o.DownloadVideoContent,
		EndpointType:      o.EndpointType,
		Header:            http.Header{},
		Timeout:           time.Duration(o.RequestTimeout * float64(time.Second)),
		ResponseBudget:    o.ResponseBudgetMiB << 20,
		Concurrency:       o.EffectiveConcurrency(),
		RequestRate:       o.RequestRate,
		RequestCount:      o.RequestCount,
		WarmupCount:       o.WarmupCount,
		WarmupDuration:    time.Duration(o.WarmupDuration * float64(time.Second)),
		Duration:          time.Duration(o.Duration * float64(time.Second)),
		Grace:             grace(o.GracePeriod),
		CancelRate:        o.CancelRate / 100,
		CancelDelay:       time.Duration(o.CancelDelay * float64(time.Second)),
		FixedSchedule:     o.FixedSchedule,
		NoFixedSchedule:   o.NoFixedSchedule,
		IgnoreTraceDelays: o.IgnoreTraceDelays,
		Sampling:          samplingOf(o),
		Seed:              o.RandomSeed,
		Scenario:          scenario,
		ServerTokenCount:  o.ServerTokenCount,
		PreferUsage:       o.Tokenizer == "" && !o.ServerTokenCount,
		NoKernelStamps:    o.NoKernelTimestamps,
	}
	applyScheduleOptions(&c, o)
	names := map[string]bool{}
	for i, u := range o.URLs {
		full, name, named, err := httpclient.EndpointURL(u, o.EndpointPath())
		if err != nil {
			return c, fmt.Errorf("--url (AIPERF_URL): %w", err)
		}
		if len(o.URLs) > 1 && !named { // the index tells equal hosts apart
			name = fmt.Sprintf("%d:%s", i, name)
		}
		if names[name] {
			return c, fmt.Errorf("--url (AIPERF_URL): target name %s given twice", clip.Quote(name))
		}
		names[name] = true
		c.Targets = append(c.Targets, Target{Name: name, URL: full})
	}
	hc, err := httpclient.ConfigFrom(o)
	if err != nil {
		return c, err
	}
	if err := c.UseHTTPConfig(hc); err != nil {
		return c, fmt.Errorf("HTTP client settings: %w", err)
	}
	c.SessionHeader = textproto.CanonicalMIMEHeaderKey(o.SessionHeader)
	for _, h := range o.Headers {
		name, value, _ := strings.Cut(h, ":")
		c.Header.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	t, _ := endpoint.Lookup(o.EndpointType)
	for name, value := range t.Headers { // as AIPerf's setdefault: a --header wins
		if c.Header.Get(name) == "" {
			c.Header.Set(name, value)
		}
	}
	c.secrets = credentialValues(hc, c.Header, c.Targets)
	return c, nil
}

// UseHTTPConfig gives c a measuring HTTP client built from hc (see httpclient.New)
// for c.Concurrency requests in flight. ConfigFrom calls it with the options'
// settings; a scenario with its own http_config calls it again to replace them.
func (c *Config) UseHTTPConfig(hc config.HTTPClientConfig) error {
	client, err := httpclient.New(hc, max(c.Concurrency, 64))
	if err != nil {
		return err
	}
	c.Client = client
	return nil
}
