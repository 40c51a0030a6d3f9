package inputs

import (
	"fmt"

	"github.com/aiperf-exporter/aiperf-exporter/endpoint"
)

// embedsImages reports whether an embeddings body kind carries a turn's
// images beside its texts (AIPerf's nim_embeddings.py).
func embedsImages(kind endpoint.Body) bool {
	return kind == endpoint.BodyNIMEmbeddings || kind == endpoint.BodyCohereEmbed
}

// pairTexts checks AIPerf's rule for embeddings of texts and images: with
// both, each text goes with the image at its place, so the counts must match.
func pairTexts(texts []string, images []*urlRef) error {
	if len(texts) > 0 && len(images) > 0 && len(texts) != len(images) {
		return fmt.Errorf("texts and images are embedded in pairs: this turn has %d text(s) and %d image(s) (match --prompt-batch-size and --image-batch-size)", len(texts), len(images))
	}
	return nil
}

// nimInputs writes NIM's embeddings input list as AIPerf's NIMEmbeddingsEndpoint
// builds it: "text <img src='URL'/>" for each pair, "<img src='URL'/>" for
// images alone, else the texts. An image's data URL is shared, not copied.
func nimInputs(texts []string, images []*urlRef) func(*segmenter) {
	if len(images) == 0 {
		return stringList(texts)
	}
	return func(s *segmenter) {
		s.raw("[")
		for i, img := range images {
			if i > 0 {
				s.raw(",")
			}
			s.raw(`"`)
			if i < len(texts) { // pairTexts has refused unequal counts
				s.strInside(texts[i])
				s.raw(" ")
			}
			s.raw("<img src='")
			s.share(img.JSON[1 : len(img.JSON)-1]) // the URL inside its quotes
			s.raw(`'/>"`)
		}
		s.raw("]")
	}
}

// strInside writes v JSON-escaped without its quotes, to go inside a string.
func (s *segmenter) strInside(v string) {
	start := len(s.cur)
	s.str(v)
	s.cur = append(s.cur[:start], s.cur[start+1:len(s.cur)-1]...)
}

// cohereEmbedFields lays out AIPerf's CohereEmbeddingsEndpoint payload
// (src/aiperf/endpoints/cohere_embeddings.py): model, embedding_types
// ["float"], then the texts, or with images "inputs", one object a pair (or
// an image alone) whose content holds a text part and an image_url part.
func cohereEmbedFields(model string, texts []string, images []*urlRef) []jsonField {
	fields := []jsonField{
		{key: "model", write: stringValue(model)},
		{key: "embedding_types", write: rawJSON([]byte(`["float"]`))},
	}
	if len(images) == 0 {
		return append(fields, jsonField{key: "texts", write: stringList(texts)})
	}
	return append(fields, jsonField{key: "inputs", write: func(s *segmenter) {
		s.raw("[")
		for i, img := range images {
			if i > 0 {
				s.raw(",")
			}
			s.raw(`{"content":[`)
			if i < len(texts) { // pairTexts has refused unequal counts
				s.raw(`{"type":"text","text":`)
				s.str(texts[i])
				s.raw("},")
			}
			s.raw(`{"type":"image_url","image_url":{"url":`)
			s.share(img.JSON)
			s.raw("}}]}")
		}
		s.raw("]")
	}})
}

// imageInputs writes AIPerf's ImageRetrievalEndpoint input list
// (src/aiperf/endpoints/nim_image_retrieval.py): one {"type": "image_url",
// "url"} a turn's image; its texts are not sent.
func imageInputs(images []*urlRef) func(*segmenter) {
	return func(s *segmenter) {
		s.raw("[")
		for i, img := range images {
			if i > 0 {
				s.raw(",")
			}
			s.raw(`{"type":"image_url","url":`)
			s.share(img.JSON)
			s.raw("}")
		}
		s.raw("]")
	}
}
