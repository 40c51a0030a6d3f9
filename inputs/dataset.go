// Package inputs builds the dataset a run sends: synthetic text and audio or an
// input file, turned once into request bodies whose audio segments are shared.
package inputs

import (
	"context"
	"fmt"
	"math/rand"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/accuracy"
	"github.com/aiperf-exporter/aiperf-exporter/endpoint"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// ContentTypeJSON is the content type of chat bodies.
const ContentTypeJSON = "application/json"

// Turn is one request of a conversation, ready to send.
type Turn struct {
	Body        Body
	ContentType string // "application/json", or multipart/form-data with its boundary
	// Inputs is the request as inputs.json shows it when Body is not JSON (a
	// transcription form); nil means Body itself.
	Inputs       Body
	Model        string
	InputTokens  int     // ISL of this turn's text parts (audio never counted)
	AudioSeconds float64 // total duration of this turn's own clips
	AudioBytes   int     // decoded audio bytes of this turn's own clips
	Images       int     // this turn's own image parts (AIPerf's num_images)
	Videos       int     // this turn's own video parts (AIPerf's num_videos)
	MaxTokens    int     // 0 = none asked
	// Reference is what the turn's audio says, when known (speech set, public
	// datasets, an input line's reference_text): the answer is scored against it.
	Reference string
	// Bust is where the sender puts the conversation's cache-bust marker
	// (--cache-bust); nil: none.
	Bust *BustSpot
	// Problem is the accuracy benchmark's question this turn asks
	// (--accuracy-benchmark): its answer is graded against it.
	Problem      *accuracy.Problem
	Delay        time.Duration // before this turn (multi_turn)
	Timestamp    time.Duration // fixed-schedule offset
	HasTimestamp bool
}

// Conversation is a session: its turns are sent in order.
type Conversation struct {
	ID    string
	Turns []Turn
}

// Dataset is every conversation a run draws from.
type Dataset struct {
	Conversations []Conversation
	// FixedSchedule is set when the input file carries timestamps.
	FixedSchedule bool
}

// Entry is one conversation as inputs.json shows it.
type Entry struct {
	SessionID string
	Payloads  []Body
}

// Entries lists the conversations for inputs.json, payloads in turn order.
func (d *Dataset) Entries() []Entry {
	out := make([]Entry, len(d.Conversations))
	for i, c := range d.Conversations {
		out[i] = Entry{SessionID: c.ID, Payloads: make([]Body, len(c.Turns))}
		for j, t := range c.Turns {
			out[i].Payloads[j] = t.Body
			if t.Inputs != nil {
				out[i].Payloads[j] = t.Inputs
			}
		}
	}
	return out
}

// Build makes the dataset from the options: the input file when one is given,
// else synthetic text and audio. All random draws come from rng, so a seed
// gives the same bytes. Errors are one line naming the flag, or file and line.
func Build(o *options.Options, counter tokens.Counter, rng *rand.Rand) (*Dataset, error) {
	return BuildContext(context.Background(), o, counter, rng)
}

// BuildContext is Build that stops, with ctx's error, soon after ctx ends: it
// checks between conversations, file lines and audio clips (10,000 clips of
// 30 s take minutes to synthesize; Ctrl-C must not).
func BuildContext(ctx context.Context, o *options.Options, counter tokens.Counter, rng *rand.Rand) (*Dataset, error) {
	if counter == nil {
		counter = tokens.Words{}
	}
	b, err := newBuilder(o, counter, rng)
	if err != nil {
		return nil, err
	}
	b.ctx = ctx
	if err := checkSyntheticOnly(o); err != nil {
		return nil, err
	}
	var d *Dataset
	switch {
	case rankingsEndpoint(o.EndpointType): // synthetic only: it refuses the others
		d, err = b.rankings()
	case o.InputFile != "":
		d, err = b.loadFile(o.InputFile, o.CustomDatasetType)
	case o.HFWekaDataset != "":
		d, err = b.wekaHub()
	case o.PublicDataset != "":
		d, err = b.publicSet()
	case o.AudioSource == "speech":
		d, err = b.speechSet()
	default:
		d, err = b.synthetic()
	}
	if err == nil && b.err != nil {
		err = b.err
	}
	if err != nil {
		return nil, err
	}
	return d, nil
}

// builder holds what every dataset source needs to turn messages into turns.
type builder struct {
	o       *options.Options
	counter tokens.Counter
	rng     *rand.Rand
	text    *prompter
	extra   []field
	seq     *seqDist // --seq-dist, nil when not given
	turns   int      // turns built so far, for round-robin model selection
	// tmplFixed and tmplWrap are the chat template's tokens per request and
	// per message (--apply-chat-template), taken off synthetic prompts.
	tmplFixed, tmplWrap int

	transcription bool        // --endpoint-type audio_transcription: multipart forms
	boundary      string      // the current multipart boundary
	images        *imageMaker // synthetic images; nil when off
	videos        *videoMaker // synthetic videos; nil when off
	err           error       // the first turn that cannot be sent (transcription, a timestamp past stamps' span)
	stamps        stampSpan   // the trace's earliest and latest timestamps
	promptIDs     int         // the token ids of the body just built (vllm_generate), for its input tokens
	ctx           context.Context
	// traceBlock is the tokens per hash id of the trace format being read
	// (16 for bailian_trace), used while --synthetic-input-tokens-block-size
	// stays at its 512 default; 0 for formats without one.
	traceBlock int

	editImages map[*urlRef]*formFile // image_edit: each image decoded once
	inputLimit int64                 // all files of --input-file together (maxInputDirBytes)
}

// stopped is why building must stop early (ctx ended), or nil.
func (b *builder) stopped() error {
	if err := b.ctx.Err(); err != nil {
		return fmt.Errorf("building the dataset: %w", err)
	}
	return nil
}

func newBuilder(o *options.Options, counter tokens.Counter, rng *rand.Rand) (*builder, error) {
	if len(o.Models) == 0 {
		return nil, &options.Error{Flag: "model", Msg: "a model name is required"}
	}
	switch o.ModelSelection {
	case "", "round_robin", "random":
	default:
		return nil, &options.Error{Flag: "model-selection-strategy", Msg: fmt.Sprintf("unknown strategy %s (want round_robin or random)", quoted(o.ModelSelection))}
	}
	if !builds(o.EndpointType) {
		return nil, &options.Error{Flag: "endpoint-type", Msg: fmt.Sprintf("%s bodies are not built (want %s)", quoted(o.EndpointType), endpoint.Names())}
	}
	extra, err := parseExtraInputs(o.ExtraInputs)
	if err != nil {
		return nil, err
	}
	images, err := newImageMaker(o, rng)
	if err != nil {
		return nil, err
	}
	videos, err := newVideoMaker(o, rng)
	if err != nil {
		return nil, err
	}
	var seq *seqDist
	if o.SequenceDistribution != "" {
		if seq, err = parseSeqDist(o.SequenceDistribution); err != nil {
			return nil, &options.Error{Flag: "seq-dist", Msg: err.Error()}
		}
	}
	text := newPrompter(counter)
	if o.PromptCorpus == CorpusCoding {
		text = newCorpusPrompter(counter, codingCorpusText())
	}
	b := &builder{o: o, counter: counter, rng: rng, text: text, extra: extra, seq: seq,
		transcription: o.EndpointType == EndpointTranscription, ctx: context.Background(), images: images, videos: videos,
		inputLimit: maxInputDirBytes}
	text.stop = func() bool { return b.ctx.Err() != nil } // b.ctx is the build's, set later
	if _, chat := b.chatCount([]message{{Role: "user"}}); chat {
		b.tmplFixed, b.tmplWrap = templateOverheads(counter)
	}
	return b, nil
}

// model picks the model of the next turn.
func (b *builder) model() string {
	defer func() { b.turns++ }()
	if b.o.ModelSelection == "random" {
		return b.o.Models[b.rng.Intn(len(b.o.Models))]
	}
	return b.o.Models[b.turns%len(b.o.Models)]
}

// turnSpec is one turn before encoding: history holds the earlier messages
// resent with it (multi_turn).
type turnSpec struct {
	history   []message
	msg       message
	maxTokens int
	extra     []field // per-line extra, applied after --extra-inputs
	delay     time.Duration
	timestamp *time.Duration
	reference string // the expected transcript, if known
	tokenIDs  []int  // a token-in prompt (a line's token_ids: sglang_generate)
	from      string // where the timestamp was read (file:line), for stampSpan
}

// capDelay shortens a recorded delay before a turn to at most
// --inter-turn-delay-cap-seconds, as AIPerf's loaders clamp every per-turn
// delay they read (timestamps are left alone).
func (b *builder) capDelay(d time.Duration) time.Duration {
	if b.o.InterTurnDelayCap == 0 {
		return d
	}
	return min(d, time.Duration(b.o.InterTurnDelayCap*float64(time.Second)))
}

// turn encodes a turn spec into a ready Turn.
func (b *builder) turn(ts turnSpec) Turn {
	if ts.timestamp != nil && b.err == nil {
		b.err = b.stamps.add(float64(*ts.timestamp)/float64(time.Millisecond), at(ts.from))
	}
	extra := b.extra
	if len(ts.extra) > 0 {
		extra = append([]field(nil), b.extra...)
		for _, f := range ts.extra {
			extra = setField(extra, f)
		}
	}
	model := b.model()
	t := Turn{Model: model, MaxTokens: ts.maxTokens, Delay: b.capDelay(ts.delay), Reference: ts.reference}
	if body, ok := b.plainBody(ts, model, extra); ok {
		t.Body, t.ContentType = body, ContentTypeJSON
	} else if kind := bodyOf(b.o.EndpointType); kind == endpoint.BodyImageEdit || kind == endpoint.BodyVideoGeneration {
		req, err := newVideoGeneration(ts, model, extra)
		if kind == endpoint.BodyImageEdit {
			req, err = b.newImageEdit(ts, model, extra)
		}
		if err != nil && b.err == nil {
			b.err = fmt.Errorf("--endpoint-type %s: request %d of the dataset: %w", b.o.EndpointType, b.turns, err)
		}
		b.boundary = boundaryFor(b.boundary, b.rng, &req)
		t.Body, t.Inputs = req.body(b.boundary), req.view()
		t.ContentType = ContentTypeMultipart + "; boundary=" + b.boundary
	} else if b.transcription {
		// One clip per form; the history of a conversation is not resent.
		if err := checkTranscription(ts.msg); err != nil && b.err == nil {
			b.err = fmt.Errorf("--endpoint-type %s: request %d of the dataset: %w", EndpointTranscription, b.turns, err)
		}
		req := b.newTranscription(ts, model, extra)
		b.boundary = boundaryFor(b.boundary, b.rng, &req)
		t.Body, t.Inputs = req.body(b.boundary), req.view()
		t.ContentType = ContentTypeMultipart + "; boundary=" + b.boundary
	} else {
		msgs := append(append([]message(nil), ts.history...), ts.msg)
		req := chatRequest{
			Messages:     msgs,
			Bust:         bustPlaceIn(b.o.CacheBust, msgs),
			Model:        model,
			Stream:       b.o.Streaming,
			MaxTokens:    ts.maxTokens,
			LegacyMaxKey: b.o.LegacyMaxTokens,
			Extra:        extra,
		}
		t.Body, t.ContentType = req.body(), ContentTypeJSON
		t.Bust = req.spot
	}
	if ts.timestamp != nil {
		t.Timestamp, t.HasTimestamp = *ts.timestamp, true
	}
	if n, ok := b.chatCount(append(ts.history[:len(ts.history):len(ts.history)], ts.msg)); ok {
		t.InputTokens = n // the whole message array through the template, as AIPerf
	} else if len(ts.msg.Texts) > 0 {
		t.InputTokens = b.counter.Count(joinTexts(ts.msg.Texts))
	}
	if b.promptIDs > 0 { // a token-in prompt is counted, not tokenized
		t.InputTokens, b.promptIDs = b.promptIDs, 0
	}
	for _, p := range ts.msg.Passages {
		t.InputTokens += b.counter.Count(p)
	}
	for _, a := range ts.msg.Audios {
		t.AudioSeconds += a.Seconds
		t.AudioBytes += a.Bytes
	}
	t.Images, t.Videos = len(ts.msg.Images), len(ts.msg.Videos)
	if bodyOf(b.o.EndpointType) == endpoint.BodyImageEdit {
		t.Images = min(t.Images, 1) // the form carries the first image only
	}
	return t
}

// outputTokens draws a per-turn output length: ceil(normal(mean, stddev)) >= 1,
// or 0 when no output length was asked.
func (b *builder) outputTokens() int {
	if b.o.OutputTokensMean <= 0 {
		return 0
	}
	return sampleTokens(b.rng, float64(b.o.OutputTokensMean), b.o.OutputTokensStddev)
}

func joinTexts(ts []string) string {
	if len(ts) == 1 {
		return ts[0]
	}
	n := 0
	for _, t := range ts {
		n += len(t) + 1
	}
	buf := make([]byte, 0, n)
	for i, t := range ts {
		if i > 0 {
			buf = append(buf, ' ')
		}
		buf = append(buf, t...)
	}
	return string(buf)
}
