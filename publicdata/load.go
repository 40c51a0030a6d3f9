package publicdata

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/aiperf-exporter/aiperf-exporter/hub"
	"github.com/aiperf-exporter/aiperf-exporter/internal/parquetfile"
)

// Load returns up to max clips of the dataset name (0: every row), in file and
// row order, skipping clips longer than MaxSeconds. Files are fetched through
// c, so a cached copy serves offline.
func Load(ctx context.Context, c *hub.Client, name string, max int) ([]Clip, error) {
	return LoadSubset(ctx, c, name, "", max)
}

// LoadSubset is Load from the dataset's Hub subset (config) subset, the same
// split; "" is the dataset's own subset (--hf-subset).
func LoadSubset(ctx context.Context, c *hub.Client, name, subset string, max int) ([]Clip, error) {
	spec, err := Lookup(name)
	if err != nil {
		return nil, err
	}
	if subset != "" {
		spec.Dir = subset + "/" + path.Base(spec.Dir)
	}
	files, err := c.List(ctx, hub.Dataset, spec.Repo, spec.Revision, spec.Dir)
	if err != nil {
		return nil, fmt.Errorf("public dataset %s: %w%s", name, err, authHint(spec.NeedsAuth, c))
	}
	var clips []Clip
	for _, f := range files {
		if !strings.HasSuffix(f, ".parquet") {
			continue
		}
		local, err := c.Download(ctx, hub.Dataset, spec.Repo, spec.Revision, f)
		if err != nil {
			return nil, fmt.Errorf("public dataset %s: %w%s", name, err, authHint(spec.NeedsAuth, c))
		}
		clips, err = readParquet(local, spec, clips, max)
		if err != nil {
			return nil, fmt.Errorf("public dataset %s: %s: %w", name, f, err)
		}
		if max > 0 && len(clips) >= max {
			break
		}
	}
	if len(clips) == 0 {
		return nil, fmt.Errorf("public dataset %s: no clip of at most %d s in %s %s%s", name, MaxSeconds, spec.Repo, spec.Dir, authHint(spec.NeedsAuth, c))
	}
	return clips, nil
}

func authHint(needsAuth bool, c *hub.Client) string {
	if needsAuth && c != nil && c.Token == "" {
		return " (this dataset is gated: accept its terms on the Hub and set HF_TOKEN)"
	}
	return ""
}

// readParquet appends the clips of one parquet file to clips, stopping at max.
func readParquet(path string, spec Spec, clips []Clip, max int) ([]Clip, error) {
	index := 0
	err := parquetfile.Read(path, func(pf *parquet.File) error {
		audioCol, ok := pf.Schema().Lookup(spec.Audio, "bytes")
		if !ok {
			return fmt.Errorf("no column %s.bytes", spec.Audio)
		}
		textCol, ok := pf.Schema().Lookup(spec.Text)
		if !ok {
			return fmt.Errorf("no column %s", spec.Text)
		}
		return parquetfile.Rows(pf, func(row parquet.Row) (bool, error) {
			index++
			var data []byte
			var text string
			for _, v := range row {
				switch v.Column() {
				case audioCol.ColumnIndex:
					data = v.ByteArray()
				case textCol.ColumnIndex:
					text = string(v.ByteArray())
				}
			}
			if len(data) == 0 {
				return false, nil // audio by path only: not in the parquet file
			}
			format, out, secs, err := decode(data)
			if err != nil {
				return false, fmt.Errorf("row %d: %w", index, err)
			}
			if secs <= MaxSeconds {
				clips = append(clips, Clip{Format: format, Data: out, Seconds: secs, Transcript: cleanTranscript(text)})
			}
			return max > 0 && len(clips) >= max, nil
		})
	})
	return clips, err
}

// cleanTranscript drops the markup tags some corpora write into their
// transcripts (GigaSpeech's <COMMA>, <PERIOD>, <SIL>, <NOISE>, ...), which no
// model says and the word error rate would count as words.
func cleanTranscript(text string) string {
	words := strings.Fields(text)
	out := words[:0]
	for _, w := range words {
		if len(w) > 2 && w[0] == '<' && w[len(w)-1] == '>' && strings.ToUpper(w) == w {
			continue
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}
