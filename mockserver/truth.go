package mockserver

import (
	"encoding/json"
	"net/http"
	"slices"
	"sync"
)

// truthCapacity bounds how many requests' truths are kept (oldest evicted).
const truthCapacity = 100_000

// Truth is what the server really did for one request, for comparing a
// client's measurements with reality. Times are wall-clock Unix nanoseconds.
type Truth struct {
	RequestID string `json:"request_id"`
	Endpoint  string `json:"endpoint"`
	ArrivalNs int64  `json:"arrival_ns"`
	// ChunkNs holds when each content/reasoning chunk was written and flushed
	// (one entry for a non-streamed answer).
	ChunkNs          []int64  `json:"chunk_ns"`
	ReasoningChunks  int      `json:"reasoning_chunks"`
	EndNs            int64    `json:"end_ns"`
	Status           int      `json:"status"`
	Stream           bool     `json:"stream"`
	Model            string   `json:"model"`
	PromptTokens     int      `json:"prompt_tokens"`
	CompletionTokens int      `json:"completion_tokens"`
	FinishReason     string   `json:"finish_reason,omitempty"`
	AudioSHA256      []string `json:"audio_sha256,omitempty"` // of each decoded audio part
	AudioSeconds     float64  `json:"audio_seconds"`
	Images           []string `json:"images,omitempty"` // "<format> <w>x<h>" of each image part
	Videos           []string `json:"videos,omitempty"` // container of each video part (webm, mp4)
	// Inputs counts an embeddings request's texts or a ranking's passages.
	Inputs int `json:"inputs,omitempty"`
	// Polls and Downloads count a video job's status and content requests.
	Polls     int    `json:"polls,omitempty"`
	Downloads int    `json:"downloads,omitempty"`
	Fault     string `json:"fault,omitempty"`
	Error     string `json:"error,omitempty"`
}

// truthStore is a bounded map of truths by request ID, evicting the oldest.
type truthStore struct {
	mu    sync.Mutex
	byID  map[string]Truth
	order []string // ring of IDs in insertion order
	next  int
}

func newTruthStore(capacity int) *truthStore {
	return &truthStore{byID: make(map[string]Truth), order: make([]string, 0, min(capacity, 1024)), next: 0}
}

func (s *truthStore) put(t Truth, capacity int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byID[t.RequestID]; !ok {
		if len(s.order) < capacity {
			s.order = append(s.order, t.RequestID)
		} else {
			delete(s.byID, s.order[s.next])
			s.order[s.next] = t.RequestID
			s.next = (s.next + 1) % capacity
		}
	}
	s.byID[t.RequestID] = t
}

// update applies set to the stored truth of id, if there is one.
func (s *truthStore) update(id string, set func(*Truth)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.byID[id]; ok {
		set(&t)
		s.byID[id] = t
	}
}

func (s *truthStore) get(id string) (Truth, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.byID[id]
	t.ChunkNs = slices.Clone(t.ChunkNs)
	t.AudioSHA256 = slices.Clone(t.AudioSHA256)
	t.Images, t.Videos = slices.Clone(t.Images), slices.Clone(t.Videos)
	return t, ok
}

// Truth returns what the server did for the request with that X-Request-ID.
func (s *Server) Truth(requestID string) (Truth, bool) { return s.truths.get(requestID) }

// handleTruth serves GET /debug/truth?request_id=... for out-of-process benchmarks.
func (s *Server) handleTruth(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("request_id")
	t, ok := s.Truth(id)
	if !ok {
		writeError(w, http.StatusNotFound, "NotFoundError", "no truth recorded for request_id "+`"`+id+`"`)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(t)
}
