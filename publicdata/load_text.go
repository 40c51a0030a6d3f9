package publicdata

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/hub"
)

// TextOptions are the run's settings a text dataset's loading follows.
type TextOptions struct {
	Subset string // --hf-subset: another Hub config, the same split
	Max    int    // stop after this many conversations (0: every row)
	Count  Tokens // tokens of a text, for ShareGPT's length filter
	// SkipMinOutput skips ShareGPT's minimum completion length: the run sets
	// an output length (--osl), as in AIPerf.
	SkipMinOutput bool
	// CacheDir is AIPerf's dataset cache: Spec-Bench's file, resolved
	// SPEED-Bench configs under speed-bench/ ("": DatasetCacheDir).
	CacheDir string
}

func (o TextOptions) cacheDir() string {
	if o.CacheDir == "" {
		return DatasetCacheDir
	}
	return o.CacheDir
}

// LoadText returns the conversations of the text or vision dataset name, in
// file and row order. Files come through c, so a cached copy serves offline.
func LoadText(ctx context.Context, c *hub.Client, name string, o TextOptions) ([]Entry, error) {
	if config, category, ok := speedBench(name); ok {
		if o.Subset != "" {
			config = o.Subset // --hf-subset names another config, as in AIPerf
		}
		out, err := loadSpeedBench(filepath.Join(o.cacheDir(), "speed-bench"), config, category, o.Max)
		if err == nil && len(out) == 0 {
			err = fmt.Errorf("SPEED-Bench config %s has no rows with text", config)
		}
		if err != nil {
			return nil, fmt.Errorf("public dataset %s: %w", name, err)
		}
		return out, nil
	}
	spec, ok := TextDatasets[name]
	if !ok {
		if _, err := Kind(name); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("public dataset %s is not a text dataset", name)
	}
	var out []Entry
	var err error
	switch spec.Loader {
	case ShareGPT:
		out, err = loadShareGPT(ctx, c, spec, o)
	case SpecBench:
		out, err = loadSpecBench(ctx, o, c != nil && c.Offline)
	default:
		out, err = loadRows(ctx, c, spec, o)
	}
	if err != nil {
		return nil, fmt.Errorf("public dataset %s: %w%s", name, err, authHint(spec.NeedsAuth, c))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("public dataset %s: no row of %s gave a prompt%s", name, spec.Repo, authHint(spec.NeedsAuth, c))
	}
	return out, nil
}

func loadShareGPT(ctx context.Context, c *hub.Client, spec TextSpec, o TextOptions) ([]Entry, error) {
	local, err := c.Download(ctx, hub.Dataset, spec.Repo, "main", spec.File)
	if err != nil {
		return nil, err
	}
	out, err := readShareGPT(local, o.Max, o.Count, o.SkipMinOutput)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", spec.File, err)
	}
	return out, nil
}

// loadRows reads the split's parquet files of the Hub's parquet conversion.
func loadRows(ctx context.Context, c *hub.Client, spec TextSpec, o TextOptions) ([]Entry, error) {
	dir := spec.Dir(o.Subset)
	files, err := c.List(ctx, hub.Dataset, spec.Repo, "refs/convert/parquet", dir)
	if err != nil || len(files) == 0 {
		// The Hub converts only the first 5 GB of a larger split, into the
		// folder partial-<split> (NuminaMath-CoT's size).
		partial := path.Dir(dir) + "/partial-" + path.Base(dir)
		if more, perr := c.List(ctx, hub.Dataset, spec.Repo, "refs/convert/parquet", partial); perr == nil && len(more) > 0 {
			files, err = more, nil
		}
	}
	if err != nil {
		return nil, err
	}
	var out []Entry
	for _, f := range files {
		if !strings.HasSuffix(f, ".parquet") {
			continue
		}
		local, err := c.Download(ctx, hub.Dataset, spec.Repo, "refs/convert/parquet", f)
		if err != nil {
			return nil, err
		}
		if out, err = readRows(local, spec, out, o.Max); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if o.Max > 0 && len(out) >= o.Max {
			break
		}
	}
	return out, nil
}
