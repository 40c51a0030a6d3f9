// Package record defines the per-request record: the one thing the probe
// produces and every consumer (report, collector, plots, merge) reads.
//
// A record holds only what was observed. Derived figures (TTFT, ITL, ...)
// are computed from it by package metrics, once, for every consumer.
package record

import "time"

// Phase tells warmup requests, which every consumer drops, from measured ones.
type Phase string

const (
	PhaseWarmup    Phase = "warmup"
	PhaseProfiling Phase = "profiling"
)

// ResponseKind says what a streamed response carried.
type ResponseKind uint8

const (
	// Content is answer text (delta.content, or message.content when not streaming).
	Content ResponseKind = 1 << iota
	// Reasoning is reasoning text (delta.reasoning_content or delta.reasoning).
	Reasoning
)

// Response is one content or reasoning response of a request, stamped on arrival.
// Role-only, finish-only, usage-only and empty chunks are never recorded.
type Response struct {
	// Offset is the monotonic time from the request's start to the arrival of the
	// response.
	Offset time.Duration `json:"offset_ns"`
	Kind   ResponseKind  `json:"kind"`
}

// Error is an AIPerf-style error: HTTP status (or 499 for cancellation, 502 for a
// broken stream), a type and a message.
type Error struct {
	Code    int    `json:"code,omitempty"`
	Type    string `json:"type,omitempty"`
	Message string `json:"message"`
}

// Reason is a bounded error class used as a Prometheus label value.
type Reason string

// The complete set of reasons; the collector pre-creates each at zero.
const (
	ReasonNone        Reason = ""
	ReasonHTTP4xx     Reason = "http_4xx"
	ReasonHTTP5xx     Reason = "http_5xx"
	ReasonHTTPOther   Reason = "http_other"
	ReasonTimeout     Reason = "timeout"
	ReasonConnection  Reason = "connection"
	ReasonStreamError Reason = "stream_error"
	ReasonCancelled   Reason = "cancelled"
	ReasonNoContent   Reason = "no_content"
)

// Reasons lists every non-empty Reason, in a stable order.
var Reasons = []Reason{ReasonHTTP4xx, ReasonHTTP5xx, ReasonHTTPOther, ReasonTimeout,
	ReasonConnection, ReasonStreamError, ReasonCancelled, ReasonNoContent}

// Usage is the server's own token accounting, as sent in an OpenAI `usage` object.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	ReasoningTokens  int `json:"reasoning_tokens,omitempty"`
	AudioTokens      int `json:"audio_tokens,omitempty"`
}

// HTTPPhases are httptrace timings, as offsets from the request's start; zero when
// a phase did not happen (e.g. no DNS on a reused connection).
type HTTPPhases struct {
	DNS            time.Duration `json:"dns_ns,omitempty"`
	Connect        time.Duration `json:"connect_ns,omitempty"`
	TLS            time.Duration `json:"tls_ns,omitempty"`
	RequestWritten time.Duration `json:"request_written_ns,omitempty"`
	FirstByte      time.Duration `json:"first_byte_ns,omitempty"`
	ConnReused     bool          `json:"conn_reused"`
}

// StampSource is what stamped a record's response arrivals.
type StampSource string

const (
	StampNone StampSource = "" // no response was stamped
	// StampKernel: every response has the kernel's receive stamp of the read
	// that delivered it (Linux, a connection the client dialed).
	StampKernel StampSource = "kernel"
	// StampUserspace: at least one response was stamped when the reader saw it.
	StampUserspace StampSource = "userspace"
)

// StampSources lists every non-empty StampSource, in a stable order.
var StampSources = []StampSource{StampKernel, StampUserspace}

// Record is everything observed about one request.
type Record struct {
	// Identity.
	RequestID      string `json:"x_request_id"`
	CorrelationID  string `json:"x_correlation_id"`
	ConversationID string `json:"conversation_id"`
	TurnIndex      int    `json:"turn_index"`
	SessionNum     int    `json:"session_num"`
	WorkerID       int    `json:"worker_id"`
	Phase          Phase  `json:"benchmark_phase"`
	Model          string `json:"model"`
	Target         string `json:"target,omitempty"`   // configured target name, never a raw URL
	Scenario       string `json:"scenario,omitempty"` // daemon scenario name
	// Streaming: the request asked to stream (the run's --streaming, as
	// AIPerf's endpoint config says it). Whether the reply did is Streamed.
	Streaming bool `json:"streaming"`
	// WholeReply: a streaming request was answered with one whole body, not
	// an event stream, so it did not stream (see Streamed).
	WholeReply   bool   `json:"whole_reply,omitempty"`
	EndpointType string `json:"endpoint_type,omitempty"` // chat or audio_transcription

	// Clocks. Wall-clock epoch nanoseconds place the request in the run window;
	// every latency is a monotonic offset from the start.
	IntendedStartNs int64 `json:"intended_start_ns"` // when the schedule wanted it sent
	// SlotWait is the part of the schedule lag spent waiting for a free
	// --concurrency slot with --request-rate: the server's pace, not the client's.
	SlotWait  time.Duration `json:"slot_wait_ns,omitempty"`
	StartNs   int64         `json:"request_start_ns"` // just before the request was written
	AckOffset time.Duration `json:"ack_offset_ns"`    // response headers received
	EndOffset time.Duration `json:"end_offset_ns"`    // body fully read, or failure
	Responses Responses     `json:"responses"`
	// StampSource says what stamped the responses' arrivals: the kernel's
	// receive stamps, or the userspace clock (see StampSource).
	StampSource StampSource `json:"stamp_source,omitempty"`
	HTTPPhases  *HTTPPhases `json:"http_phases,omitempty"`

	// What was sent.
	InputTokens  int     `json:"input_tokens"` // ISL: client tokens of the text parts
	AudioSeconds float64 `json:"audio_seconds"`
	AudioBytes   int     `json:"audio_bytes"`      // decoded audio bytes sent
	Images       int     `json:"images,omitempty"` // image parts sent (num_images)
	Videos       int     `json:"videos,omitempty"` // video parts sent (num_videos)

	// What came back. Token counts are -1 when unknown.
	OutputTokens    int    `json:"output_tokens"`
	ReasoningTokens int    `json:"reasoning_tokens"`
	TokenSource     string `json:"token_source"` // "tokenizer", "server" or "words"
	Usage           *Usage `json:"usage,omitempty"`
	SkippedEvents   int    `json:"skipped_events,omitempty"` // malformed SSE events, skipped
	// WordErrorRate is the answer's word error rate against the turn's reference
	// transcript (package wer); nil when the turn had none or the request failed.
	WordErrorRate *float64 `json:"word_error_rate,omitempty"`
	// ResponseText is the generated text (reasoning, then answer), kept only
	// for --export-outputs-json; "" otherwise.
	ResponseText string `json:"response_text,omitempty"`
	// Accuracy is the grade of an accuracy benchmark's answer
	// (--accuracy-benchmark); profile counts it and writes its own files.
	Accuracy *Graded `json:"-"`

	// Outcome.
	HTTPStatus      int           `json:"http_status"`
	Error           *Error        `json:"error,omitempty"`
	Reason          Reason        `json:"reason,omitempty"`
	Cancelled       bool          `json:"was_cancelled"`
	CancelOffset    time.Duration `json:"cancel_offset_ns,omitempty"`
	RetryAfter      time.Duration `json:"retry_after_ns,omitempty"` // a 429/503's Retry-After
	LateForDuration bool          `json:"late,omitempty"`           // ended after duration+grace: dropped
}

// EndpointTranscription is the endpoint type of audio transcription requests,
// the only ones with audio metrics (audio_duration, rtfx), as in AIPerf.
const EndpointTranscription = "audio_transcription"

// Streamed reports whether the request streamed: asked to, and its reply came
// as an event stream. Only such records have streaming metrics (TTFT, ITL,
// ...), as AIPerf's streamed_request gates them per record; a record written
// before WholeReply existed streamed when it asked to.
func (r *Record) Streamed() bool { return r.Streaming && !r.WholeReply }

// Valid reports whether the record counts as a successful request: no error and at
// least one content or reasoning response (AIPerf counts a 200 with no content as
// an error).
func (r *Record) Valid() bool {
	return r.Error == nil && len(r.Responses) > 0
}

// Counted reports whether the record enters the results at all. Every consumer
// (aggregation, report, collector, plots, landing page) leaves out warmup
// requests and requests that ended after the run's duration plus grace; of the
// records counted, the Valid ones are successes and the others errors.
func (r *Record) Counted() bool {
	return r != nil && r.Phase != PhaseWarmup && !r.LateForDuration
}

// IntendedStart returns the intended start, falling back to the actual one.
func (r *Record) IntendedStart() int64 {
	if r.IntendedStartNs == 0 {
		return r.StartNs
	}
	return r.IntendedStartNs
}

// ScheduleLag is how late the request left compared with its schedule.
func (r *Record) ScheduleLag() time.Duration {
	return time.Duration(r.StartNs - r.IntendedStart())
}

// Graded is one answer graded by an accuracy benchmark's grader, with what
// accuracy_export.jsonl shows of it (the texts bounded, see package accuracy).
type Graded struct {
	Task          string
	Grader        string
	Passed        bool
	Unparsed      bool
	Expected      string
	Actual        string
	Explanation   string
	ModelOutput   string
	ModelThinking *string // nil when the model sent no reasoning
}
