package mockserver

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/speech"
	"github.com/aiperf-exporter/aiperf-exporter/wer"
)

func TestCorruptMakesTheAskedErrorRate(t *testing.T) {
	words := strings.Fields("a b c d e f g h i j")
	for _, tc := range []struct {
		rate float64
		want string
	}{
		{0, "a b c d e f g h i j"},
		{0.2, "a b c d mumble f g h i"},
		{0.5, "a mumble c e mumble g i mumble"},
		{1, "mumble mumble mumble mumble mumble"},
	} {
		got := strings.Join(corrupt(words, tc.rate), " ")
		if got != tc.want {
			t.Errorf("corrupt(rate %g) = %q, want %q", tc.rate, got, tc.want)
		}
		if r, _ := wer.Rate(strings.Join(words, " "), got); r != tc.rate {
			t.Errorf("rate %g: answer scores %g", tc.rate, r)
		}
	}
}

// TestSpeechClipsAreAnswered posts a clip of the speech set to both endpoints
// and checks the answer is its transcript, with the configured word error
// rate, and that usage reports the clip's audio tokens.
func TestSpeechClipsAreAnswered(t *testing.T) {
	c := speech.Clips()[8] // nine words
	srv := start(t, Config{})
	for _, rate := range []float64{0, 0.3} {
		srv.Server.Configure(Config{WordErrorRate: rate})
		body := chatBody("Transcribe this audio.", false, nil, b64(c.MP3))
		resp, out := post(t, srv.URL+"/v1/chat/completions", "c", body)
		var got struct {
			Choices []struct{ Message struct{ Content string } }
			Usage   struct {
				PromptTokensDetails struct {
					AudioTokens int `json:"audio_tokens"`
				} `json:"prompt_tokens_details"`
			}
		}
		if resp.StatusCode != 200 || json.Unmarshal(out, &got) != nil || len(got.Choices) != 1 {
			t.Fatalf("chat: %d %s", resp.StatusCode, out)
		}
		if r, _ := wer.Rate(c.Transcript, got.Choices[0].Message.Content); r != float64(int(rate*9))/9 {
			t.Errorf("rate %g: chat answer %q scores %g", rate, got.Choices[0].Message.Content, r)
		}
		if want := audioTokens(c.Seconds); got.Usage.PromptTokensDetails.AudioTokens != want || want == 0 {
			t.Errorf("audio_tokens = %d, want %d", got.Usage.PromptTokensDetails.AudioTokens, want)
		}

		ct, form := form(t, c.MP3, map[string]string{"model": "whisper"})
		resp, out = postRaw(t, srv.URL+"/v1/audio/transcriptions", "t", ct, form)
		var tx struct{ Text string }
		if resp.StatusCode != 200 || json.Unmarshal(out, &tx) != nil {
			t.Fatalf("transcription: %d %s", resp.StatusCode, out)
		}
		if r, _ := wer.Rate(c.Transcript, tx.Text); r != float64(int(rate*9))/9 {
			t.Errorf("rate %g: transcription %q scores %g", rate, tx.Text, r)
		}
	}
	// A limit shorter than the transcript cuts it.
	body := chatBody("Transcribe this audio.", false, map[string]any{"max_completion_tokens": 3}, b64(c.MP3))
	_, out := post(t, srv.URL+"/v1/chat/completions", "l", body)
	if !strings.Contains(string(out), `"content":"The quick brown"`) || !strings.Contains(string(out), `"length"`) {
		t.Errorf("limited answer: %s", out)
	}
}

func TestWordErrorRateIsValidated(t *testing.T) {
	if err := (Config{WordErrorRate: 1.5}).Validate(); err == nil {
		t.Error("word error rate 1.5 accepted")
	}
}
