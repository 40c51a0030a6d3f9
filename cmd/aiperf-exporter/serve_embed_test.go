package main

import "testing"

// serve probes the embeddings, reranker and image retrieval types as profile
// sends them (the options are shared): the embedded mock answers, and the
// requests count as successes with no token histograms filled.
func TestServeEmbeddingTypes(t *testing.T) {
	image := []string{"--image-batch-size", "1", "--image-width-mean", "8", "--image-height-mean", "8"}
	cases := map[string][]string{
		"nim_embeddings":       image,
		"cohere_embeddings":    image,
		"chat_embeddings":      image,
		"hf_tei_reranker":      nil,
		"huggingface_reranker": nil,
		"cohere_rerank":        nil,
		"image_retrieval":      image,
	}
	for name, extra := range cases {
		t.Run(name, func(t *testing.T) {
			args := append([]string{"--mock", "--endpoint-type", name, "--isl", "4", "--concurrency", "1"}, extra...)
			base, logs := startServe(t, args...)
			metrics := waitMetrics(t, base, logs, "successful requests", func(m string) bool {
				n, _ := sampleSum(m, "aiperf_requests_total")
				return n >= 2
			})
			if errs, _ := sampleSum(metrics, "aiperf_request_errors_total"); errs != 0 {
				t.Errorf("%g request errors", errs)
			}
			if n, _ := sampleSum(metrics, "aiperf_output_tokens_total"); n != 0 {
				t.Errorf("%g output tokens counted for a type that produces none", n)
			}
		})
	}
}
