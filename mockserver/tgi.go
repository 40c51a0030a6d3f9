package mockserver

import (
	"bytes"
	"net/http"
	"strings"
)

// tgiRequest is the part of a TGI /generate body the mock reads.
type tgiRequest struct {
	Inputs     *string `json:"inputs"`
	Parameters struct {
		MaxNewTokens *int `json:"max_new_tokens"`
	} `json:"parameters"`
}

// tgiToken is one streamed TGI event.
type tgiToken struct {
	Index int `json:"index"`
	Token struct {
		ID      int     `json:"id"`
		Text    string  `json:"text"`
		Logprob float64 `json:"logprob"`
		Special bool    `json:"special"`
	} `json:"token"`
	GeneratedText *string `json:"generated_text"`
	Details       any     `json:"details"`
}

// handleTGI serves Hugging Face TGI's POST /generate (one JSON answer; a body
// with input_ids is SGLang's, on the same path: handleSGLang) and,
// with stream, /generate_stream: one event per token, the last carrying the
// whole generated_text, and no [DONE], as TGI sends them.
func (s *Server) handleTGI(stream bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		arrival, cfg, tr := s.begin(w, r, "huggingface_generate")
		defer s.finish(tr)
		tr.Stream = stream
		var req tgiRequest
		body, err := readBody(w, r)
		if err == nil && !stream && bytes.Contains(body, []byte(`"input_ids"`)) { // SGLang's /generate, same path
			s.handleSGLang(w, r, body, arrival, cfg, tr)
			return
		}
		if err == nil {
			err = decodeJSON(body, &req)
		}
		if err == nil && req.Inputs == nil {
			err = invalid("inputs is required")
		}
		var tokens []string
		if err == nil {
			words := strings.Fields(*req.Inputs)
			var n int
			n, _, err = outputLength(limitedBy("max_new_tokens", req.Parameters.MaxNewTokens), cfg, len(words), s.uniform)
			tokens, tr.PromptTokens = makeTokens(words, n), len(words)
		}
		if err != nil {
			s.reject(w, err, tr)
			return
		}
		text := strings.Join(tokens, " ")
		tr.CompletionTokens = len(tokens)
		s.reply(w, r, tokens, stream, tgiEvents{text: text, n: len(tokens)}, streamOpts{cfg: cfg, arrival: arrival}, tr)
	}
}

// tgiEvents are TGI's stream: one event per token, the last carrying the
// whole generated_text, and no [DONE].
type tgiEvents struct {
	text string
	n    int
}

func (tgiEvents) head(sse) {}

func (e tgiEvents) token(ev sse, i int, tok string) {
	var t tgiToken
	t.Index, t.Token.ID, t.Token.Text = i+1, i, tok
	if i > 0 {
		t.Token.Text = " " + tok
	}
	if i == e.n-1 {
		t.GeneratedText = &e.text
	}
	ev.json(t)
}

func (tgiEvents) tail(sse) {}

func (e tgiEvents) whole() any { return map[string]string{"generated_text": e.text} }
