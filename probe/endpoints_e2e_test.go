package probe_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
	"github.com/aiperf-exporter/aiperf-exporter/record"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// endpointRun builds the dataset of args as profile does and sends it to the
// mock over loopback at the endpoint type's path, n requests. It returns the
// records and what the mock saw of each, by request id.
func endpointRun(t *testing.T, n int, args ...string) ([]*record.Record, map[string]mockserver.Truth) {
	t.Helper()
	o, ds := probe.BuildFromArgs(t, append([]string{"-m", "m", "--num-dataset-entries", "3"}, args...)...)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	m, err := mockserver.Start(ctx, "", mockserver.Config{TTFT: 2 * time.Millisecond, ITL: time.Millisecond, Seed: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	cfg := probe.Config{
		Targets:   []probe.Target{{Name: "mock", URL: m.URL + o.EndpointPath()}},
		Streaming: o.Streaming, EndpointType: o.EndpointType, Timeout: 30 * time.Second,
		Concurrency: 2, RequestCount: n, Counter: tokens.Words{}, VideoPoll: time.Millisecond,
		DownloadVideo: o.DownloadVideoContent,
	}
	var mu sync.Mutex
	var recs []*record.Record
	if err := probe.Run(ctx, cfg, ds, func(r *record.Record) { mu.Lock(); recs = append(recs, r); mu.Unlock() }); err != nil {
		t.Fatal(err)
	}
	if len(recs) != n {
		t.Fatalf("%d records, want %d", len(recs), n)
	}
	truths := map[string]mockserver.Truth{}
	for _, r := range recs {
		truths[r.RequestID], _ = m.Server.Truth(r.RequestID)
	}
	return recs, truths
}

// Every endpoint type's requests, as inputs builds them, are accepted by the
// mock and read back as valid records with the answer's tokens.
func TestEndpointTypesEndToEnd(t *testing.T) {
	cases := []struct {
		name      string
		args      []string
		responses int // per record
		output    int // output tokens per record
		inputs    int // texts or passages the mock received per request; 0: not counted
	}{
		{"completions streamed", []string{"--endpoint-type", "completions", "--streaming", "--osl", "6"}, 6, 6, 0},
		{"completions whole", []string{"--endpoint-type", "completions", "--osl", "6"}, 1, 6, 0},
		{"embeddings", []string{"--endpoint-type", "embeddings", "--prompt-batch-size", "3"}, 1, 0, 3},
		{"nim_rankings", []string{"--endpoint-type", "nim_rankings", "--rankings-passages-mean", "4", "--rankings-passages-prompt-token-mean", "9", "--rankings-query-prompt-token-mean", "5"}, 1, 0, 4},
		{"hf_tei_rankings", []string{"--endpoint-type", "hf_tei_rankings", "--rankings-passages-mean", "2"}, 1, 0, 2},
		{"cohere_rankings", []string{"--endpoint-type", "cohere_rankings", "--rankings-passages-mean", "3"}, 1, 0, 3},
		{"huggingface_generate streamed", []string{"--endpoint-type", "huggingface_generate", "--streaming", "--osl", "5"}, 5, 5, 0},
		{"huggingface_generate whole", []string{"--endpoint-type", "huggingface_generate", "--osl", "5"}, 1, 5, 0},
		{"responses streamed", []string{"--endpoint-type", "responses", "--streaming", "--osl", "5"}, 6, 5, 0}, // 5 deltas, then the done event
		{"responses whole", []string{"--endpoint-type", "responses", "--osl", "5"}, 1, 5, 0},
		{"nim_embeddings", []string{"--endpoint-type", "nim_embeddings", "-b", "2", "--image-batch-size", "2", "--image-width-mean", "8", "--image-height-mean", "8"}, 1, 0, 2},
		{"cohere_embeddings texts", []string{"--endpoint-type", "cohere_embeddings", "-b", "3"}, 1, 0, 3},
		{"chat_embeddings", []string{"--endpoint-type", "chat_embeddings", "--image-batch-size", "1", "--image-width-mean", "8", "--image-height-mean", "8"}, 1, 0, 1},
		{"hf_tei_reranker", []string{"--endpoint-type", "hf_tei_reranker", "--rankings-passages-mean", "2"}, 1, 0, 2},
		{"huggingface_reranker", []string{"--endpoint-type", "huggingface_reranker", "--rankings-passages-mean", "3"}, 1, 0, 3},
		{"cohere_rerank", []string{"--endpoint-type", "cohere_rerank", "--rankings-passages-mean", "4"}, 1, 0, 4},
		{"image_retrieval", []string{"--endpoint-type", "image_retrieval", "--image-batch-size", "2", "--image-width-mean", "8", "--image-height-mean", "8"}, 1, 0, 2},
		{"cohere_embeddings images", []string{"--endpoint-type", "cohere_embeddings", "-b", "2", "--image-batch-size", "2", "--image-width-mean", "8", "--image-height-mean", "8"}, 1, 0, 2},
		{"image_generation streamed", []string{"--endpoint-type", "image_generation", "--streaming", "--extra-inputs", "partial_images:2"}, 3, 0, 1}, // 2 partial images, then the completed one
		{"image_generation whole", []string{"--endpoint-type", "image_generation", "--extra-inputs", "n:2"}, 1, 0, 2},
		{"image_edit", []string{"--endpoint-type", "image_edit", "--image-batch-size", "1", "--image-width-mean", "16", "--image-height-mean", "8", "--image-format", "png"}, 1, 0, 1},
		{"video_generation", []string{"--endpoint-type", "video_generation", "--extra-inputs", "size:64x48"}, 2, 0, 1}, // created, then completed
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			recs, truths := endpointRun(t, 4, c.args...)
			for _, r := range recs {
				if !r.Valid() {
					t.Fatalf("invalid record: %+v (reason %q)", r.Error, r.Reason)
				}
				if len(r.Responses) != c.responses || r.OutputTokens != c.output {
					t.Errorf("%d responses, %d output tokens; want %d, %d", len(r.Responses), r.OutputTokens, c.responses, c.output)
				}
				if tr := truths[r.RequestID]; tr.Status != 200 || tr.Inputs != c.inputs {
					t.Errorf("the mock saw status %d, %d inputs; want 200, %d", tr.Status, tr.Inputs, c.inputs)
				}
			}
		})
	}
}
