package mockserver

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math"
	"net/http"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/audio"
)

// wordsPerAudioSecond sets a transcript's length when Config.OutputTokens is 0
// (at most Config.MaxOutputTokens).
const wordsPerAudioSecond = 2.5

// handleTranscription serves POST /v1/audio/transcriptions: a multipart form
// with file and model (stream=true streams vLLM's transcription.chunk deltas).
func (s *Server) handleTranscription(w http.ResponseWriter, r *http.Request) {
	arrival, cfg, tr := s.begin(w, r, "transcription")
	defer s.finish(tr)

	a, stream, includeUsage, err := s.parseTranscription(w, r, cfg, tr)
	if err != nil {
		s.reject(w, err, tr)
		return
	}
	e := transcriptionEvents{chatEvents{a: a, usage: includeUsage, tr: tr}}
	s.reply(w, r, a.tokens, stream, e, streamOpts{cfg: cfg, arrival: arrival}, tr)
}

// transcriptionEvents stream vLLM's transcription.chunk deltas as chat
// does; the whole answer is {"text": ...}.
type transcriptionEvents struct{ chatEvents }

func (e transcriptionEvents) whole() any {
	e.tr.FinishReason, e.tr.CompletionTokens = e.a.finish, len(e.a.tokens)
	return map[string]string{"text": joinTokens(e.a.tokens)}
}

// parseTranscription reads the form and its audio file into the answer.
func (s *Server) parseTranscription(w http.ResponseWriter, r *http.Request, cfg Config, tr *Truth) (a answer, stream, usage bool, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	if err := r.ParseMultipartForm(maxBodyBytes); err != nil {
		return a, false, false, invalid("bad multipart form: %v", err)
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	model := r.FormValue("model")
	stream = r.FormValue("stream") == "true"
	usage = r.FormValue("stream_include_usage") == "true"
	tr.Model, tr.Stream = model, stream
	if model == "" {
		return a, false, false, invalid("model is required")
	}
	if err := checkModel(cfg, model); err != nil {
		return a, false, false, err
	}
	file, _, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) {
		return a, false, false, invalid("file is required")
	}
	if err != nil {
		return a, false, false, invalid("file: %v", err)
	}
	defer func() { _ = file.Close() }()
	raw, err := io.ReadAll(file)
	if err != nil {
		return a, false, false, invalid("read file: %v", err)
	}
	info, err := audio.Inspect(raw)
	if err != nil {
		return a, false, false, invalid("invalid audio file: %v", err)
	}
	sum := sha256.Sum256(raw)
	tr.AudioSHA256, tr.AudioSeconds = []string{hex.EncodeToString(sum[:])}, info.Seconds
	n := cfg.OutputTokens
	if n == 0 { // a long clip's transcript stops at the mock's longest answer
		n = max(1, int(math.Round(min(info.Seconds*wordsPerAudioSecond, float64(cfg.maxOutput())))))
	}
	words := strings.Fields(r.FormValue("prompt"))
	tokens := makeTokens(words, n)
	if heard := recognise(tr.AudioSHA256, cfg.WordErrorRate); heard != nil {
		tokens = heard // a clip of the speech set: what it says
	}
	a = newAnswer(tr.RequestID, "transcription", model, tokens, 0, "stop", len(words))
	a.audioTokens = audioTokens(info.Seconds)
	return a, stream, usage, nil
}
