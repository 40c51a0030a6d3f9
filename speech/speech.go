// Package speech is a small set of spoken English clips with their transcripts,
// embedded in the binary so a run can send real speech and score the answers
// (word error rate) without any download.
//
// The clips are made by speech/gen/gen.sh from transcripts.tsv with espeak-ng
// and ffmpeg: 16 kHz mono MP3, 1 to 15 seconds each. Synthetic speech is not
// human speech, but an audio model must still hear it to answer its words,
// which Gaussian noise never tests.
package speech

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"path"
	"strings"
	"sync"

	"github.com/aiperf-exporter/aiperf-exporter/audio"
)

//go:embed transcripts.tsv clips/*.mp3
var files embed.FS

// Clip is one utterance: its MP3 bytes and what it says.
type Clip struct {
	ID         string
	Transcript string
	MP3        []byte
	Seconds    float64
	SHA256     string // hex SHA-256 of MP3, how the mock server recognises it
}

var (
	loadOnce sync.Once
	clips    []Clip
	byHash   map[string]int
	loadErr  error
)

// Clips returns every clip in transcripts.tsv order. The slice is shared:
// callers must not change it.
func Clips() []Clip {
	load()
	if loadErr != nil {
		panic(loadErr) // the embedded files are checked by the package's tests
	}
	return clips
}

// Lookup returns the clip whose MP3 bytes hash to sha256Hex.
func Lookup(sha256Hex string) (Clip, bool) {
	load()
	i, ok := byHash[sha256Hex]
	if !ok {
		return Clip{}, false
	}
	return clips[i], true
}

func load() {
	loadOnce.Do(func() { clips, byHash, loadErr = parse() })
}

func parse() ([]Clip, map[string]int, error) {
	tsv, err := files.ReadFile("transcripts.tsv")
	if err != nil {
		return nil, nil, err
	}
	var out []Clip
	index := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(tsv))
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		id, text, ok := strings.Cut(sc.Text(), "\t")
		if !ok || id == "" || strings.TrimSpace(text) == "" {
			return nil, nil, fmt.Errorf("speech: transcripts.tsv line %d: want id<TAB>transcript", n)
		}
		data, err := files.ReadFile(path.Join("clips", id+".mp3"))
		if err != nil {
			return nil, nil, fmt.Errorf("speech: clip %s: %w", id, err)
		}
		info, err := audio.Inspect(data)
		if err != nil {
			return nil, nil, fmt.Errorf("speech: clip %s: %w", id, err)
		}
		sum := sha256.Sum256(data)
		c := Clip{ID: id, Transcript: text, MP3: data, Seconds: info.Seconds, SHA256: hex.EncodeToString(sum[:])}
		index[c.SHA256] = len(out)
		out = append(out, c)
	}
	return out, index, sc.Err()
}
