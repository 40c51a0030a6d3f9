package mockserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Config sets the mock server's latency, output and faults. The zero value
// streams at once, echoes with AIPerf's length rule and accepts any model.
type Config struct {
	TTFT time.Duration // arrival to first token
	ITL  time.Duration // between tokens
	// OutputTokens is the output length when a request asks for none; 0 uses
	// newer AIPerf's rule: 0.8–1.2 × the prompt's words, at least 16.
	OutputTokens int
	// MaxOutputTokens is the mock's longest answer (0: DefaultMaxOutputTokens,
	// at most MaxOutputTokensCeiling). A request asking for more is a 400, as
	// a real server refuses a max_tokens beyond its context length; an answer
	// it would make longer (a long prompt, a long clip) stops there.
	MaxOutputTokens int
	// ReasoningTokens streams the first K tokens as reasoning_content.
	ReasoningTokens int
	// Models lists the served models; empty accepts any.
	Models []string
	Faults Faults
	// WordErrorRate (0..1) is the share of words the mock gets wrong when it
	// answers the transcript of a clip of the embedded speech set.
	WordErrorRate float64
	// Seed makes output lengths and fault draws reproducible.
	Seed int64
	// LoadingFor makes the server "load the model" for this long after the
	// configuration that set it: /health, /v1/models and the inference endpoints
	// answer 503 meanwhile, as a server still loading weights would not serve.
	LoadingFor time.Duration
}

// Faults holds per-request probabilities (0..1) of each failure shape. At most
// one fault applies to a request; they are drawn in the order listed.
type Faults struct {
	Error500         float64       // HTTP 500 with an OpenAI error body
	Error429         float64       // HTTP 429 with Retry-After
	DropMidStream    float64       // connection closed halfway through the tokens
	MalformedEvent   float64       // one invalid JSON event mid-stream (tokens still complete)
	ErrorEvent       float64       // data: {"error":{...}} mid-stream, then [DONE]
	Truncate         float64       // stream ends halfway with neither finish_reason nor [DONE]
	Stall            float64       // silence of StallDuration halfway, then the rest
	StallDuration    time.Duration // length of a stall
	SlowHeaders      float64       // response headers held back by SlowHeadersDelay
	SlowHeadersDelay time.Duration
	WrongContentType float64 // application/json body although streaming was asked
}

// configJSON is Config as POST /configure reads and GET /configure writes it.
type configJSON struct {
	TTFTms          float64    `json:"ttft_ms"`
	ITLms           float64    `json:"itl_ms"`
	OutputTokens    int        `json:"output_tokens"`
	MaxOutputTokens int        `json:"max_output_tokens"`
	ReasoningTokens int        `json:"reasoning_tokens"`
	Models          []string   `json:"models"`
	Seed            int64      `json:"seed"`
	LoadingMs       float64    `json:"loading_ms"`
	ErrorRate       float64    `json:"error_rate"` // same as faults.error500
	WordErrorRate   float64    `json:"word_error_rate"`
	Faults          faultsJSON `json:"faults"`
}

type faultsJSON struct {
	Error500         float64 `json:"error500"`
	Error429         float64 `json:"error429"`
	DropMidStream    float64 `json:"drop_mid_stream"`
	MalformedEvent   float64 `json:"malformed_event"`
	ErrorEvent       float64 `json:"error_event"`
	Truncate         float64 `json:"truncate"`
	Stall            float64 `json:"stall"`
	StallMs          float64 `json:"stall_ms"`
	SlowHeaders      float64 `json:"slow_headers"`
	SlowHeadersMs    float64 `json:"slow_headers_ms"`
	WrongContentType float64 `json:"wrong_content_type"`
}

func ms(d time.Duration) float64     { return float64(d) / float64(time.Millisecond) }
func fromMs(v float64) time.Duration { return time.Duration(v * float64(time.Millisecond)) }

func toJSON(c Config) configJSON {
	f := c.Faults
	return configJSON{
		TTFTms: ms(c.TTFT), ITLms: ms(c.ITL), OutputTokens: c.OutputTokens, MaxOutputTokens: c.maxOutput(), ReasoningTokens: c.ReasoningTokens,
		Models: c.Models, Seed: c.Seed, LoadingMs: ms(c.LoadingFor), ErrorRate: f.Error500, WordErrorRate: c.WordErrorRate,
		Faults: faultsJSON{
			Error500: f.Error500, Error429: f.Error429, DropMidStream: f.DropMidStream,
			MalformedEvent: f.MalformedEvent, ErrorEvent: f.ErrorEvent, Truncate: f.Truncate,
			Stall: f.Stall, StallMs: ms(f.StallDuration), SlowHeaders: f.SlowHeaders,
			SlowHeadersMs: ms(f.SlowHeadersDelay), WrongContentType: f.WrongContentType,
		},
	}
}

func fromJSON(j configJSON, prev Config) Config {
	f := j.Faults
	e500 := f.Error500
	if j.ErrorRate != prev.Faults.Error500 {
		e500 = j.ErrorRate
	}
	return Config{
		TTFT: fromMs(j.TTFTms), ITL: fromMs(j.ITLms), OutputTokens: j.OutputTokens, MaxOutputTokens: j.MaxOutputTokens, ReasoningTokens: j.ReasoningTokens,
		Models: j.Models, Seed: j.Seed, LoadingFor: fromMs(j.LoadingMs), WordErrorRate: j.WordErrorRate,
		Faults: Faults{
			Error500: e500, Error429: f.Error429, DropMidStream: f.DropMidStream,
			MalformedEvent: f.MalformedEvent, ErrorEvent: f.ErrorEvent, Truncate: f.Truncate,
			Stall: f.Stall, StallDuration: fromMs(f.StallMs), SlowHeaders: f.SlowHeaders,
			SlowHeadersDelay: fromMs(f.SlowHeadersMs), WrongContentType: f.WrongContentType,
		},
	}
}

// mergeJSON applies a partial JSON body on top of prev: absent keys keep their value.
func mergeJSON(body []byte, prev Config) (Config, error) {
	j := toJSON(prev)
	if err := strictUnmarshal(body, &j); err != nil {
		return Config{}, fmt.Errorf("configure: %w", err)
	}
	c := fromJSON(j, prev)
	if err := c.Validate(); err != nil {
		return Config{}, fmt.Errorf("configure: %w", err)
	}
	return c, nil
}

// maxOutput is the mock's longest answer in tokens.
func (c Config) maxOutput() int {
	if c.MaxOutputTokens == 0 {
		return DefaultMaxOutputTokens
	}
	return c.MaxOutputTokens
}

// Validate rejects negative durations and counts, probabilities outside 0..1
// and output lengths beyond the mock's longest answer.
func (c Config) Validate() error {
	switch {
	case c.TTFT < 0 || c.ITL < 0 || c.Faults.StallDuration < 0 || c.Faults.SlowHeadersDelay < 0 || c.LoadingFor < 0:
		return fmt.Errorf("durations must not be negative")
	case c.OutputTokens < 0 || c.ReasoningTokens < 0 || c.MaxOutputTokens < 0:
		return fmt.Errorf("token counts must not be negative")
	case c.MaxOutputTokens > MaxOutputTokensCeiling:
		return fmt.Errorf("max output tokens %d are more than the mock allows, %d", c.MaxOutputTokens, MaxOutputTokensCeiling)
	case c.OutputTokens > c.maxOutput():
		return fmt.Errorf("output tokens %d are more than the max output tokens, %d (the mock's longest answer)", c.OutputTokens, c.maxOutput())
	}
	if c.WordErrorRate < 0 || c.WordErrorRate > 1 || c.WordErrorRate != c.WordErrorRate {
		return fmt.Errorf("word error rate %g is not within 0..1", c.WordErrorRate)
	}
	f := c.Faults
	for name, p := range map[string]float64{
		"error500": f.Error500, "error429": f.Error429, "drop_mid_stream": f.DropMidStream,
		"malformed_event": f.MalformedEvent, "error_event": f.ErrorEvent, "truncate": f.Truncate,
		"stall": f.Stall, "slow_headers": f.SlowHeaders, "wrong_content_type": f.WrongContentType,
	} {
		if p < 0 || p > 1 || p != p {
			return fmt.Errorf("fault %s: probability %g is not within 0..1", name, p)
		}
	}
	return nil
}

func strictUnmarshal(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("bad JSON: %w", err)
	}
	return nil
}
