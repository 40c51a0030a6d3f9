package inputs

import (
	"encoding/json"
	"math/rand"
	"path/filepath"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// FuzzLoad feeds arbitrary file contents to the loader under every dataset
// type: it must never panic, and whatever it accepts must be valid JSON bodies.
// Seeds: testdata/fuzz/FuzzLoad plus every fixture file.
func FuzzLoad(f *testing.F) {
	addFileSeeds(f, "testdata/*.jsonl", "testdata/bad/*.jsonl", "testdata/pool/*.jsonl")
	o := opts(f, "-m", "a,b", "--num-dataset-entries", "3", "--osl", "4", "--extra-inputs", "k:v")
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		b, err := newBuilder(o, tokens.Words{}, rand.New(rand.NewSource(1)))
		if err != nil {
			t.Fatal(err)
		}
		// Media paths resolve inside testdata (read only).
		d, err := b.loadBytes(newInputReader("fuzz.jsonl", maxInputDirBytes), "fuzz.jsonl", "testdata", data, fuzzKinds[int(kind)%len(fuzzKinds)])
		if err != nil {
			return
		}
		for _, c := range d.Conversations {
			for _, tr := range c.Turns {
				if !json.Valid(tr.Body.Bytes()) {
					t.Fatalf("accepted input gave an invalid body: %s", tr.Body.Bytes())
				}
			}
		}
	})
}

// fuzzKinds are the dataset types a fuzz input is loaded as, by its kind byte.
var fuzzKinds = []string{"", TypeSingleTurn, TypeMultiTurn, TypeRandomPool, TypeMooncake}

// addFileSeeds seeds f with every file matching patterns, loaded as kind 0.
func addFileSeeds(f *testing.F, patterns ...string) {
	f.Helper()
	for _, pattern := range patterns {
		files, _ := filepath.Glob(pattern)
		for _, p := range files {
			f.Add(testkit.ReadFile(f, p), uint8(0))
		}
	}
}
