package inputs

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/speech"
)

func TestSpeechSetCarriesClipAndTranscript(t *testing.T) {
	clips := speech.Clips()
	for _, endpoint := range []string{"chat", EndpointTranscription} {
		d := build(t, 7, "--model", "m", "--audio-source", "speech", "--endpoint-type", endpoint, "--num-dataset-entries", "40")
		if len(d.Conversations) != 40 {
			t.Fatalf("%s: %d conversations, want 40", endpoint, len(d.Conversations))
		}
		seen := map[string]bool{}
		for _, c := range d.Conversations {
			turn := c.Turns[0]
			var clip *speech.Clip
			for i := range clips {
				if clips[i].Transcript == turn.Reference {
					clip = &clips[i]
				}
			}
			if clip == nil {
				t.Fatalf("%s: reference %q is no clip's transcript", endpoint, turn.Reference)
			}
			seen[clip.ID] = true
			if turn.AudioSeconds != clip.Seconds || turn.AudioBytes != len(clip.MP3) {
				t.Errorf("%s: turn says %g s / %d bytes, clip %s is %g s / %d bytes", endpoint, turn.AudioSeconds, turn.AudioBytes, clip.ID, clip.Seconds, len(clip.MP3))
			}
			body := turn.Body.Bytes()
			switch endpoint {
			case "chat":
				if !bytes.Contains(body, []byte(TranscribePrompt)) || !bytes.Contains(body, []byte(`"format":"mp3"`)) {
					t.Errorf("chat body lacks the prompt or the mp3 part: %.200s", body)
				}
			default:
				if !bytes.Contains(body, clip.MP3) {
					t.Errorf("transcription form does not hold clip %s's bytes", clip.ID)
				}
			}
		}
		if len(seen) != len(clips) {
			t.Errorf("%s: 40 entries used %d of %d clips, want every one", endpoint, len(seen), len(clips))
		}
	}
}

func TestSpeechSetRefusesBatches(t *testing.T) {
	wantBuildError(t, "audio-batch-size", "--model", "m", "--audio-source", "speech", "--audio-batch-size", "2")
}

func TestInputFileReferenceText(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "in.jsonl")
	line := `{"text": "Transcribe this audio.", "reference_text": "hello there"}` + "\n" + `{"text": "no reference"}` + "\n"
	if err := os.WriteFile(file, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	d := build(t, 1, "--model", "m", "--input-file", file)
	if got := d.Conversations[0].Turns[0].Reference; got != "hello there" {
		t.Errorf("reference = %q, want %q", got, "hello there")
	}
	if got := d.Conversations[1].Turns[0].Reference; got != "" {
		t.Errorf("line without reference_text: reference = %q, want none", got)
	}
}
