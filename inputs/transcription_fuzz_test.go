package inputs

import (
	"encoding/json"
	"math/rand"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// FuzzLoadTranscription feeds arbitrary files to the loader with
// --endpoint-type audio_transcription: it must never panic, and every form it
// accepts must parse as multipart with exactly one file part, and show as
// valid JSON in inputs.json. Seeds: testdata/fuzz/FuzzLoadTranscription plus
// the fixture files.
func FuzzLoadTranscription(f *testing.F) {
	addFileSeeds(f, "testdata/*.jsonl", "testdata/bad/transcription_*.jsonl")
	o := opts(f, "-m", "w", "--endpoint-type", "audio_transcription", "--num-dataset-entries", "2", "--streaming",
		"--extra-inputs", "language:en")
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		b, err := newBuilder(o, tokens.Words{}, rand.New(rand.NewSource(1)))
		if err != nil {
			t.Fatal(err)
		}
		d, err := b.loadBytes(newInputReader("fuzz.jsonl", maxInputDirBytes), "fuzz.jsonl", "testdata", data, fuzzKinds[int(kind)%len(fuzzKinds)])
		if err != nil || b.err != nil {
			return
		}
		for _, c := range d.Conversations {
			for _, tr := range c.Turns {
				if f := readForm(t, tr); f.file == nil || f.fields["model"] == "" {
					t.Fatalf("accepted input gave a form without file or model: %q", tr.Body.Bytes())
				}
				if !json.Valid(tr.Inputs.Bytes()) {
					t.Fatalf("inputs view is not JSON: %s", tr.Inputs.Bytes())
				}
			}
		}
	})
}
