package mockserver

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/endpoint"
)

// endpointHandler is the mock's handler of an endpoint type, at its default
// path or (streamPath) at its streaming path; nil for a type it does not serve.
// A type whose path an earlier row routes (the rerankers, nim_ and
// chat_embeddings, sglang_generate) is served by that row's handler, which
// answers its body too, and needs no case here.
func (s *Server) endpointHandler(name string, streamPath bool) http.HandlerFunc {
	switch name {
	case "chat":
		return s.serveChunks(name, s.parseChat)
	case "audio_transcription":
		return s.handleTranscription
	case "completions":
		return s.serveChunks(name, s.parseCompletions)
	case "embeddings":
		return s.handleEmbeddings
	case "nim_rankings", "hf_tei_rankings", "cohere_rankings":
		return s.handleRanking(name)
	case "huggingface_generate":
		return s.handleTGI(streamPath)
	case "responses":
		return s.handleResponses
	case "cohere_embeddings":
		return s.serveEmbeddings(name, readCohereEmbed, cohereEmbeddings)
	case "image_retrieval":
		return s.serveEmbeddings(name, readImageRetrieval, imageDetections)
	case "anthropic_messages":
		return s.handleMessages
	case "solido_rag":
		return s.handleSolido
	case "vllm_generate":
		return s.handleGenerate
	case "image_generation":
		return s.handleImageGeneration
	case "image_edit":
		return s.handleImageEdit
	case "video_generation":
		return s.handleVideoCreate
	}
	return nil
}

// routeEndpoints serves every endpoint type of the table at its paths and
// returns them in the table's order. Types sharing a path share the first
// one's handler, which must then answer both.
func (s *Server) routeEndpoints() (paths []string) {
	route := func(name, path string, streamPath bool) {
		if path == "" || slices.Contains(paths, path) {
			return
		}
		h := s.endpointHandler(name, streamPath)
		if h == nil { // a row without a handler: every test that starts the mock says so
			panic(fmt.Sprintf("mockserver: no handler for endpoint type %s (add it to endpointHandler)", name))
		}
		paths = append(paths, path)
		s.handle("POST "+path, "", h)
	}
	for _, t := range endpoint.All() {
		route(t.Name, t.Path, false)
		route(t.Name, t.StreamPath, true)
	}
	return paths
}

// route is one route the server serves, as its index page lists it.
type route struct {
	pattern string // the mux pattern: "METHOD /path"
	note    string // what the index page says of it, if anything
}

// handle serves h at pattern and lists the route on the index page. Every
// route goes through here (a test holds the package to it), so the index
// page lists exactly what the server serves.
func (s *Server) handle(pattern, note string, h http.Handler) {
	s.mux.Handle(pattern, h)
	s.routes = append(s.routes, route{pattern: pattern, note: note})
}

// line is the route's line of the index page: "GET  /health", its note
// after it in parentheses ("/{$}", the index's exact match, reads "/").
func (rt route) line() string {
	method, path, _ := strings.Cut(rt.pattern, " ")
	l := fmt.Sprintf("%-4s %s", method, strings.TrimSuffix(path, "{$}"))
	if rt.note != "" {
		l += " (" + rt.note + ")"
	}
	return l + "\n"
}
