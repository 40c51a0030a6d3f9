package mockserver

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/audio"
)

// chatRequest is the part of a chat completion body the mock reads.
type chatRequest struct {
	modelStream
	Messages      []message      `json:"messages"`
	StreamOptions *streamOptions `json:"stream_options"`
	lengthRequest
}

type message struct {
	Role    string          `json:"role"`
	Content json.RawMessage `json:"content"`
}

type contentPart struct {
	Type       string `json:"type"`
	Text       string `json:"text"`
	InputAudio *struct {
		Data   string `json:"data"`
		Format string `json:"format"`
	} `json:"input_audio"`
	AudioURL *struct {
		URL string `json:"url"`
	} `json:"audio_url"`
	ImageURL *struct {
		URL string `json:"url"`
	} `json:"image_url"`
	VideoURL *struct {
		URL string `json:"url"`
	} `json:"video_url"`
	// UUID is vLLM's multimodal cache id of an image part: with an empty url
	// the part asks for the image the server cached under it.
	UUID string `json:"uuid"`
	// Source is an Anthropic image block's: base64 data or a URL.
	Source *struct {
		Type      string `json:"type"`
		MediaType string `json:"media_type"`
		Data      string `json:"data"`
		URL       string `json:"url"`
	} `json:"source"`
}

// badRequest is a client error answered with 400 (or code when set).
type badRequest struct {
	code int
	typ  string
	msg  string
}

func (e *badRequest) Error() string { return e.msg }

func invalid(format string, args ...any) error {
	return &badRequest{code: http.StatusBadRequest, typ: "BadRequestError", msg: fmt.Sprintf(format, args...)}
}

// prompt is what the mock takes from the messages.
type prompt struct {
	words      int      // whitespace-separated words in all text parts
	echo       []string // words of the last user message's text parts
	audioSHA   []string
	audioSecs  float64
	audioParts int
	images     []string // "<format> <w>x<h>" of each image part ("url" for a link)
	videos     []string // container of each video part ("url" for a link)
	// imageUUIDs are the cache ids of images sent with a url, imageRefs
	// those of images asked from the cache (an empty url).
	imageUUIDs, imageRefs []string
}

// readPrompt walks every message, counting words and validating audio parts.
func readPrompt(msgs []message) (prompt, error) {
	var p prompt
	for i, m := range msgs {
		texts, err := messageTexts(m, &p)
		if err != nil {
			return prompt{}, fmt.Errorf("messages[%d]: %w", i, err)
		}
		words := strings.Fields(strings.Join(texts, " "))
		p.words += len(words)
		if m.Role == "user" {
			p.echo = words
		}
	}
	return p, nil
}

// messageTexts returns a message's text parts and checks its audio parts.
func messageTexts(m message, p *prompt) ([]string, error) {
	c := bytes.TrimSpace(m.Content)
	if len(c) == 0 || bytes.Equal(c, []byte("null")) {
		return nil, nil
	}
	if c[0] == '"' {
		var s string
		if err := json.Unmarshal(c, &s); err != nil {
			return nil, invalid("content: %v", err)
		}
		return []string{s}, nil
	}
	var parts []contentPart
	if err := json.Unmarshal(c, &parts); err != nil {
		return nil, invalid("content is neither a string nor a list of parts: %v", err)
	}
	var texts []string
	for j, part := range parts {
		var err error
		switch part.Type {
		case "text":
			texts = append(texts, part.Text)
		case "input_audio":
			if part.InputAudio == nil {
				return nil, invalid("content[%d]: input_audio part without input_audio", j)
			}
			err = p.addAudio(part.InputAudio.Data)
		case "audio_url":
			if part.AudioURL == nil {
				return nil, invalid("content[%d]: audio_url part without audio_url", j)
			}
			err = p.addAudio(part.AudioURL.URL)
		case "image_url":
			if part.ImageURL == nil {
				return nil, invalid("content[%d]: image_url part without image_url", j)
			}
			err = p.addImage(part.ImageURL.URL, part.UUID)
		case "image": // Anthropic's image block
			if part.Source == nil {
				return nil, invalid("content[%d]: image block without source", j)
			}
			url := part.Source.URL
			if part.Source.Type == "base64" {
				url = "data:" + part.Source.MediaType + ";base64," + part.Source.Data
			}
			err = p.addImage(url, "")
		case "video_url":
			if part.VideoURL == nil {
				return nil, invalid("content[%d]: video_url part without video_url", j)
			}
			err = p.addVideo(part.VideoURL.URL)
		}
		if err != nil {
			return nil, invalid("content[%d]: %v", j, err)
		}
	}
	return texts, nil
}

// addAudio decodes base64 audio (a data:audio/...;base64, prefix allowed),
// checks its header and records its hash and length.
func (p *prompt) addAudio(data string) error {
	if strings.HasPrefix(data, "data:") {
		i := strings.Index(data, ";base64,")
		if i < 0 {
			return errors.New("audio data URL is not base64")
		}
		data = data[i+len(";base64,"):]
	}
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return fmt.Errorf("audio is not valid base64: %w", err)
	}
	info, err := audio.Inspect(raw)
	if err != nil {
		return fmt.Errorf("invalid audio: %w", err)
	}
	sum := sha256.Sum256(raw)
	p.audioSHA = append(p.audioSHA, hex.EncodeToString(sum[:]))
	p.audioSecs += info.Seconds
	p.audioParts++
	return nil
}

// readBody reads a bounded request body.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, &badRequest{code: http.StatusRequestEntityTooLarge, typ: "BadRequestError", msg: err.Error()}
	}
	if err != nil {
		return nil, invalid("read body: %v", err)
	}
	return body, nil
}

// readJSON reads a bounded request body and decodes it into v.
func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	return decodeJSON(body, v)
}

// decodeJSON decodes a request body into v: a body that is not JSON of v's
// shape is a 400.
func decodeJSON(body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return invalid("bad JSON body: %v", err)
	}
	return nil
}

// modelStream is the model and stream of a body, which the handler notes in
// its truth (embedded in the request types that have them).
type modelStream struct {
	Model  string `json:"model"`
	Stream bool   `json:"stream"`
}

func (m *modelStream) modelAndStream() *modelStream { return m }

// readModelRequest reads a JSON body into req, notes its model and stream in
// tr and checks that the model is served.
func readModelRequest(w http.ResponseWriter, r *http.Request, cfg Config, tr *Truth, req interface{ modelAndStream() *modelStream }) error {
	if err := readJSON(w, r, req); err != nil {
		return err
	}
	m := req.modelAndStream()
	tr.Model, tr.Stream = m.Model, m.Stream
	return checkModel(cfg, m.Model)
}

// checkModel answers 404 for a model the server does not serve.
func checkModel(cfg Config, model string) error {
	if len(cfg.Models) == 0 || slices.Contains(cfg.Models, model) {
		return nil
	}
	return &badRequest{code: http.StatusNotFound, typ: "NotFoundError", msg: fmt.Sprintf("The model `%s` does not exist.", model)}
}

// begin stamps a request's arrival, takes the current config and starts its
// truth record; the caller must defer s.finish(tr).
func (s *Server) begin(w http.ResponseWriter, r *http.Request, endpoint string) (time.Time, Config, *Truth) {
	arrival := time.Now()
	tr := &Truth{RequestID: s.requestID(r), Endpoint: endpoint, ArrivalNs: arrival.UnixNano()}
	w.Header().Set("X-Request-ID", tr.RequestID)
	s.metrics.began()
	return arrival, s.config(), tr
}

// fault draws this request's fault and reports whether it already answered
// (faults that fail before any token).
func (s *Server) fault(w http.ResponseWriter, cfg Config, tr *Truth) (fault, bool) {
	f := s.drawFault(cfg.Faults)
	tr.Fault = string(f)
	return f, answerEarlyFault(w, f, tr)
}

// parseFunc reads and validates a request of an API answered in chat
// chunks into its answer, and whether to stream it.
type parseFunc func(w http.ResponseWriter, r *http.Request, cfg Config, tr *Truth) (e chatEvents, stream bool, err error)

// serveChunks serves an API answered in chat chunks (chat, completions):
// parse reads its request.
func (s *Server) serveChunks(endpoint string, parse parseFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		arrival, cfg, tr := s.begin(w, r, endpoint)
		defer s.finish(tr)
		e, stream, err := parse(w, r, cfg, tr)
		if err != nil {
			s.reject(w, err, tr)
			return
		}
		s.reply(w, r, e.a.tokens, stream, e, streamOpts{cfg: cfg, arrival: arrival}, tr)
	}
}

// parseChat reads a POST /v1/chat/completions body: streamed as vLLM does,
// a role chunk first.
func (s *Server) parseChat(w http.ResponseWriter, r *http.Request, cfg Config, tr *Truth) (chatEvents, bool, error) {
	var req chatRequest
	if err := readModelRequest(w, r, cfg, tr, &req); err != nil {
		return chatEvents{}, false, err
	}
	if len(req.Messages) == 0 {
		return chatEvents{}, false, invalid("messages must not be empty")
	}
	p, err := readPrompt(req.Messages)
	tr.AudioSHA256, tr.AudioSeconds = p.audioSHA, p.audioSecs
	tr.Images, tr.Videos = p.images, p.videos
	if err != nil {
		return chatEvents{}, false, err
	}
	if err := s.mm.use(p.imageUUIDs, p.imageRefs); err != nil {
		return chatEvents{}, false, err
	}
	n, finish, err := outputLength(req.lengthRequest, cfg, p.words, s.uniform)
	if err != nil {
		return chatEvents{}, false, err
	}
	tokens := makeTokens(p.echo, n)
	if heard := recognise(p.audioSHA, cfg.WordErrorRate); heard != nil {
		// A clip of the speech set: answer what it says, cut at a given limit.
		tokens, finish = heard, "stop"
		if isLimited(req.lengthRequest) && len(heard) > n {
			tokens, finish = heard[:n], "length"
		}
		n = len(tokens)
	}
	if letter := multipleChoice(p.echo); letter != nil && n > 0 {
		tokens, finish, n = letter, "stop", len(letter)
	}
	a := newAnswer(tr.RequestID, "chat.completion", req.Model, tokens, min(cfg.ReasoningTokens, n), finish, p.words)
	a.audioTokens = audioTokens(p.audioSecs)
	return chatEvents{a: a, role: true, usage: req.StreamOptions.includeUsage(), tr: tr}, req.Stream, nil
}

// reject answers a request error with its code and an OpenAI error body.
func (s *Server) reject(w http.ResponseWriter, err error, tr *Truth) {
	var br *badRequest
	if !errors.As(err, &br) {
		br = &badRequest{code: http.StatusInternalServerError, typ: "InternalServerError", msg: err.Error()}
	}
	tr.Status, tr.Error = br.code, br.msg
	writeError(w, br.code, br.typ, br.msg)
}

// finish stamps the end of a request and stores its truth.
func (s *Server) finish(tr *Truth) {
	tr.EndNs = time.Now().UnixNano()
	s.metrics.finished(tr) // first, so a stored truth means /metrics counts it
	s.truths.put(*tr, truthCapacity)
	s.log.Debug("mock request", zapTruth(tr)...)
}
