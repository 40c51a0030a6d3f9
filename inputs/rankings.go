package inputs

import (
	"math"
	"math/rand"

	"github.com/aiperf-exporter/aiperf-exporter/endpoint"
	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// rankingsEndpoint reports whether an endpoint type ranks passages: one
// query and its passages per request, each API spelling the payload its own
// way (AIPerf's nim_rankings.py, hf_tei_rankings.py, cohere_rankings.py).
func rankingsEndpoint(endpointType string) bool {
	switch bodyOf(endpointType) {
	case endpoint.BodyNIMRankings, endpoint.BodyTEIRankings, endpoint.BodyCohereRankings:
		return true
	case endpoint.BodyCohereRerank:
		return true
	}
	return false
}

// rankingsSource refuses a dataset source other than synthetic rankings: a
// query and passages exist only there (AIPerf's named query/passages texts
// of an input file are not read here).
func rankingsSource(o *options.Options) error {
	msg := o.EndpointType + " takes synthetic queries and passages only (--rankings-*)"
	switch {
	case o.InputFile != "":
		return &options.Error{Flag: "input-file", Msg: msg}
	case o.PublicDataset != "":
		return &options.Error{Flag: "public-dataset", Msg: msg}
	case o.AudioSource == "speech":
		return &options.Error{Flag: "audio-source", Msg: msg}
	case o.AudioLengthMean > 0:
		return &options.Error{Flag: "audio-length-mean", Msg: o.EndpointType + " sends text only: leave it at 0"}
	}
	return nil
}

// rankings makes --num-dataset-entries one-turn conversations of one query
// and a drawn number of passages, as AIPerf's synthetic rankings composer.
func (b *builder) rankings() (*Dataset, error) {
	o := b.o
	if err := rankingsSource(o); err != nil {
		return nil, err
	}
	d := &Dataset{Conversations: make([]Conversation, o.NumDatasetEntries)}
	for i := range d.Conversations {
		if err := b.stopped(); err != nil {
			return nil, err
		}
		id := sessionID(b.rng)
		n := positiveInt(b.rng, float64(o.RankingsPassagesMean), float64(o.RankingsPassagesStddev))
		msg := message{Role: "user", Texts: []string{
			b.text.prompt(b.rng, promptTokens(b.rng, float64(o.RankingsQueryTokenMean), float64(o.RankingsQueryTokenStddev))),
		}}
		for range n {
			msg.Passages = append(msg.Passages,
				b.text.prompt(b.rng, promptTokens(b.rng, float64(o.RankingsPassagesTokenMean), float64(o.RankingsPassagesTokenStddev))))
		}
		d.Conversations[i] = Conversation{ID: id, Turns: []Turn{b.turn(turnSpec{msg: msg})}}
	}
	return d, nil
}

// positiveInt draws a count as AIPerf's sample_positive_normal_integer: the
// rounded mean without a stddev, else the ceiling of a normal draw
// redrawn while negative; at least 1.
func positiveInt(rng *rand.Rand, mean, stddev float64) int {
	if stddev <= 0 {
		return max(1, int(math.RoundToEven(mean)))
	}
	x := mean
	for range 1000 { // a mean far below 0 cannot occur: means are >= 1
		if v := rng.NormFloat64()*stddev + mean; v >= 0 {
			x = v
			break
		}
	}
	return max(1, int(math.Ceil(x)))
}

// rankingsFields lays out the payload of a rankings body kind.
func rankingsFields(kind endpoint.Body, model, query string, passages []string) []jsonField {
	switch kind {
	case endpoint.BodyNIMRankings:
		return []jsonField{
			{key: "model", write: stringValue(model)},
			{key: "query", write: textObjects([]string{query}, false)},
			{key: "passages", write: textObjects(passages, true)},
		}
	case endpoint.BodyTEIRankings: // TEI's /rerank takes no model
		return []jsonField{{key: "query", write: stringValue(query)}, {key: "texts", write: stringList(passages)}}
	case endpoint.BodyCohereRerank: // AIPerf's cohere_rerank.py: the query as NIM's
		return []jsonField{
			{key: "model", write: stringValue(model)},
			{key: "query", write: textObjects([]string{query}, false)},
			{key: "documents", write: stringList(passages)},
		}
	default: // cohere
		return []jsonField{
			{key: "model", write: stringValue(model)},
			{key: "query", write: stringValue(query)},
			{key: "documents", write: stringList(passages)},
		}
	}
}

// textObjects writes {"text": t} objects: one alone, or a list of them.
func textObjects(texts []string, list bool) func(*segmenter) {
	return func(s *segmenter) {
		if list {
			s.raw("[")
		}
		for i, t := range texts {
			if i > 0 {
				s.raw(",")
			}
			s.raw(`{"text":`)
			s.str(t)
			s.raw("}")
		}
		if list {
			s.raw("]")
		}
	}
}
