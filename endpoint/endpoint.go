// Package endpoint is the one table of AIPerf's endpoint types (--endpoint-type):
// for each, what the other packages switch on (default path, streaming, tokens,
// console title, OTel operation, the reply's shape, the request body's kind).
// A leaf: it imports nothing of ours, so options, inputs, probe, metrics,
// report, upload and mockserver all derive from it.
package endpoint

import "strings"

// Body is the kind of request body an endpoint type takes. Several types may
// share one (a body builder in inputs and a readiness request in probe each).
type Body int

// The body kinds, as AIPerf's endpoint classes lay out their payloads.
const (
	BodyChat            Body = iota + 1 // {"model", "messages"}: text, images, audio, video, history
	BodyTranscription                   // multipart form: model and one audio file
	BodyCompletions                     // {"model", "prompt"}: a turn's texts
	BodyEmbeddings                      // {"model", "input"}: a turn's texts
	BodyNIMRankings                     // {"model", "query": {"text"}, "passages": [{"text"}]}
	BodyTEIRankings                     // {"query", "texts"}: no model
	BodyCohereRankings                  // {"model", "query", "documents"}
	BodyTGI                             // {"inputs", "parameters"}
	BodyResponses                       // {"model", "input"}: OpenAI's Responses API
	BodyNIMEmbeddings                   // {"model", "input"}: texts, an image as "text <img src='URL'/>"
	BodyCohereEmbed                     // {"model", "embedding_types", "texts" or "inputs"}: Cohere's Embed v2
	BodyCohereRerank                    // {"model", "query": {"text"}, "documents"}: AIPerf's older Cohere payload
	BodyImageRetrieval                  // {"input": [{"type": "image_url", "url"}]}: images only, no model
	BodyMessages                        // {"model", "messages", "max_tokens"}: Anthropic's Messages API
	BodySolido                          // {"query", "filters", "inference_model"}: SOLIDO's RAG API
	BodyTokenIDs                        // {"model", "token_ids", "sampling_params"}: vLLM's token-in generate
	BodyInputIDs                        // {"input_ids", "sampling_params", "stream"}: SGLang's token-in generate
	BodyImageGeneration                 // {"prompt", "model", "response_format", "n"}: OpenAI's Images API
	BodyImageEdit                       // multipart form: prompt, model, response_format, n and one image
	BodyVideoGeneration                 // multipart form: prompt, model, then the extras
)

// Reply is where an answer sits in the server's reply (or in each SSE event).
type Reply int

// The reply shapes the probe reads.
const (
	ReplyContent   Reply = iota + 1 // a chat message's (or delta's) "content"
	ReplyText                       // a "text" key: a completion choice's, a TGI token's
	ReplyResponses                  // the Responses API's typed events and output items
	ReplyList                       // no text: a non-empty list under Type.ResultKey
	ReplyMessages                   // Anthropic's Messages API events and content blocks
	ReplyTokenIDs                   // no text: choices[0].token_ids (or each event's output_ids), counted as the output tokens
	ReplyVideoJob                   // an asynchronous job: {"id"} created, polled until "completed"
)

// Type is one endpoint type: one row of the table.
type Type struct {
	Name       string // the --endpoint-type value
	Path       string // the default path requests go to
	StreamPath string // the path when streaming, if not Path
	Streams    bool   // it can stream; AIPerf turns --streaming off for the others
	Tokens     bool   // its answers carry tokens (AIPerf's produces_tokens)
	Title      string // the console's metrics table (AIPerf's metrics_title)
	Operation  string // OTel gen_ai.operation.name
	Reply      Reply
	ResultKey  string // for ReplyList: the key whose non-empty list is the answer, JSON-quoted
	Body       Body
	Note       string // more for --help, after the path ("" for none)
	// KeyHeader is the header --api-key goes in ("" : Authorization: Bearer),
	// and Headers are sent unless a --header of the same name is given.
	KeyHeader string
	Headers   map[string]string
}

// types is the table, in the order --help lists them.
var types = []Type{
	{Name: "chat", Path: "/v1/chat/completions", Streams: true, Tokens: true, Title: llmTitle,
		Operation: "chat", Reply: ReplyContent, Body: BodyChat},
	{Name: "audio_transcription", Path: "/v1/audio/transcriptions", Streams: true, Title: "Audio Transcription Metrics",
		Operation: "chat", Reply: ReplyContent, Body: BodyTranscription, Note: "one audio clip a request"},
	{Name: "completions", Path: "/v1/completions", Streams: true, Tokens: true, Title: llmTitle,
		Operation: "text_completion", Reply: ReplyText, Body: BodyCompletions, Note: "a prompt list, text chunks"},
	{Name: "embeddings", Path: "/v1/embeddings", Title: "Embeddings Metrics",
		Operation: "embeddings", Reply: ReplyList, ResultKey: `"data"`, Body: BodyEmbeddings},
	{Name: "nim_rankings", Path: "/v1/ranking", Title: "Rankings Metrics",
		Operation: "chat", Reply: ReplyList, ResultKey: `"rankings"`, Body: BodyNIMRankings},
	// TEI may also answer with the list itself as the body.
	{Name: "hf_tei_rankings", Path: "/rerank", Title: "Ranking Metrics",
		Operation: "chat", Reply: ReplyList, ResultKey: `"results"`, Body: BodyTEIRankings},
	{Name: "cohere_rankings", Path: "/v2/rerank", Title: "Ranking Metrics",
		Operation: "chat", Reply: ReplyList, ResultKey: `"results"`, Body: BodyCohereRankings},
	{Name: "huggingface_generate", Path: "/generate", StreamPath: "/generate_stream", Streams: true, Tokens: true, Title: llmTitle,
		Operation: "chat", Reply: ReplyText, Body: BodyTGI, Note: "TGI's native API"},
	{Name: "responses", Path: "/v1/responses", Streams: true, Tokens: true, Title: llmTitle,
		Operation: "chat", Reply: ReplyResponses, Body: BodyResponses},
	{Name: "nim_embeddings", Path: "/v1/embeddings", Title: "NIM Embeddings Metrics",
		Operation: "embeddings", Reply: ReplyList, ResultKey: `"data"`, Body: BodyNIMEmbeddings, Note: "texts and images, paired as text <img src='URL'/>"},
	{Name: "cohere_embeddings", Path: "/v2/embed", Title: "Embeddings Metrics",
		Operation: "embeddings", Reply: ReplyList, ResultKey: `"float"`, Body: BodyCohereEmbed, Note: "Cohere's Embed v2, texts and images"},
	{Name: "chat_embeddings", Path: "/v1/embeddings", Title: "Embeddings Metrics",
		Operation: "embeddings", Reply: ReplyList, ResultKey: `"data"`, Body: BodyChat, Note: "chat messages, as vLLM's multimodal embedders take them"},
	// AIPerf's earlier names of its rerankers, kept for their command lines.
	{Name: "hf_tei_reranker", Path: "/rerank", Title: "Ranking Metrics",
		Operation: "chat", Reply: ReplyList, ResultKey: `"results"`, Body: BodyTEIRankings, Note: "as hf_tei_rankings"},
	{Name: "huggingface_reranker", Path: "/rerank", Title: "Ranking Metrics",
		Operation: "chat", Reply: ReplyList, ResultKey: `"results"`, Body: BodyTEIRankings, Note: "as hf_tei_rankings"},
	{Name: "cohere_rerank", Path: "/v2/rerank", Title: "Ranking Metrics",
		Operation: "chat", Reply: ReplyList, ResultKey: `"results"`, Body: BodyCohereRerank, Note: `the query as {"text"}`},
	{Name: "image_retrieval", Path: "/v1/infer", Title: "Image Retrieval Metrics",
		Operation: "chat", Reply: ReplyList, ResultKey: `"data"`, Body: BodyImageRetrieval, Note: "NIM's object detection, images only"},
	// AIPerf's MessagesEndpoint (src/aiperf/endpoints/anthropic_messages.py).
	{Name: "anthropic_messages", Path: "/v1/messages", Streams: true, Tokens: true, Title: llmTitle,
		Operation: "chat", Reply: ReplyMessages, Body: BodyMessages, Note: "Anthropic's Messages API, the API key as x-api-key",
		KeyHeader: "X-Api-Key", Headers: map[string]string{"Anthropic-Version": "2023-06-01"}},
	// AIPerf's SolidoEndpoint (src/aiperf/endpoints/solido_rag.py): it produces
	// tokens under a title of its own.
	{Name: "solido_rag", Path: "/rag/api/prompt", Streams: true, Tokens: true, Title: "SOLIDO RAG Metrics",
		Operation: "chat", Reply: ReplyContent, Body: BodySolido, Note: "SOLIDO's RAG API, the answer in its content"},
	// AIPerf's VllmGenerateEndpoint (src/aiperf/endpoints/vllm_generate.py).
	{Name: "vllm_generate", Path: "/inference/v1/generate", Tokens: true, Title: llmTitle,
		Operation: "text_completion", Reply: ReplyTokenIDs, Body: BodyTokenIDs, Note: "vLLM's token-in API: each input line's extra.token_ids"},
	// AIPerf's SGLangGenerateEndpoint (src/aiperf/endpoints/sglang_generate.py):
	// it streams only, on the path TGI's /generate shares.
	{Name: "sglang_generate", Path: "/generate", Streams: true, Tokens: true, Title: llmTitle,
		Operation: "text_completion", Reply: ReplyTokenIDs, Body: BodyInputIDs, Note: "SGLang's token-in API, --streaming only: each input line's token_ids"},
	// Streamed, each event with a b64_json is one (partial) image.
	{Name: "image_generation", Path: "/v1/images/generations", Streams: true, Title: "Image Generation Metrics",
		Operation: "generate_content", Reply: ReplyList, ResultKey: `"data"`, Body: BodyImageGeneration, Note: "one text prompt a request"},
	{Name: "image_edit", Path: "/v1/images/edits", Title: "Image Edit Metrics",
		Operation: "generate_content", Reply: ReplyList, ResultKey: `"data"`, Body: BodyImageEdit, Note: "a text prompt and one image a request"},
	{Name: "video_generation", Path: "/v1/videos", Title: "Video Generation Metrics",
		Operation: "generate_content", Reply: ReplyVideoJob, Body: BodyVideoGeneration, Note: "a job created, then polled until done"},
}

// notYet are AIPerf's endpoint types not built here yet, each with why: a
// --endpoint-type naming one exits 2 with that reason (options.Validate).
var notYet = map[string]string{
	"template": "its body template is Jinja2 and its response_field a JMESPath query, neither of which is run here yet",
	"raw":      "not built yet: --custom-dataset-type raw_payload or inputs_json on the chat endpoint sends those payloads as they are",
}

// NotYet says why AIPerf's endpoint type name is not built here yet (ok false
// for a type in the table or one AIPerf does not have).
func NotYet(name string) (why string, ok bool) {
	why, ok = notYet[name]
	return why, ok
}

// llmTitle is AIPerf's metrics_title of the endpoint types that produce tokens.
const llmTitle = "LLM Metrics"

// byName indexes types; built once, read only.
var byName = func() map[string]*Type {
	m := make(map[string]*Type, len(types))
	for i := range types {
		m[types[i].Name] = &types[i]
	}
	return m
}()

// Lookup returns the endpoint type called name.
func Lookup(name string) (Type, bool) {
	t, ok := byName[name]
	if !ok {
		return Type{}, false
	}
	return *t, true
}

// All returns every endpoint type, in the table's order.
func All() []Type {
	return append([]Type(nil), types...)
}

// Names lists the --endpoint-type values, comma-separated, for errors.
func Names() string {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = t.Name
	}
	return strings.Join(names, ", ")
}

// Help describes every endpoint type for --help and the README: its name, its
// default path (and streaming path), whether it streams and its note.
func Help() string {
	parts := make([]string, len(types))
	for i, t := range types {
		about := t.Path
		if t.StreamPath != "" {
			about += ", " + t.StreamPath + " when streaming"
		}
		if !t.Streams {
			about += ", never streamed"
		}
		if t.Note != "" {
			about += ": " + t.Note
		}
		parts[i] = t.Name + " (" + about + ")"
	}
	return strings.Join(parts, ", ")
}
