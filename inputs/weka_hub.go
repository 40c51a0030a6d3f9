package inputs

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/hub"
	"github.com/aiperf-exporter/aiperf-exporter/internal/boundedfile"
	"github.com/aiperf-exporter/aiperf-exporter/internal/term"
	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// wekaHub makes a dataset from the Weka traces of the Hub dataset repo
// --hf-weka-dataset (AIPerf's weka_hf): every .json file of the repo is one
// trace, every line of a .jsonl file one trace; they come through the Hugging
// Face cache (HF_HOME, HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE). AIPerf reads
// the repo with the datasets library; Parquet files are not read here.
func (b *builder) wekaHub() (*Dataset, error) {
	repo := b.o.HFWekaDataset
	c, err := hub.FromEnv()
	if err != nil {
		return nil, err
	}
	if term.IsTerminal(os.Stderr) {
		c.Progress = os.Stderr
	}
	ctx := b.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	traces, err := readWekaHub(ctx, c, repo, maxInputFileBytes)
	if err != nil {
		return nil, err
	}
	if len(traces) == 0 {
		return nil, &options.Error{Flag: "hf-weka-dataset", Msg: fmt.Sprintf("%s holds no .json or .jsonl Weka trace files (Parquet is not read)", repo)}
	}
	return b.wekaDataset(repo, traces)
}

// readWekaHub reads the traces of the Hub dataset repo: its .json files whole,
// its .jsonl files a trace a line, in the listing's order. All files together
// may take at most limit bytes: a repo of many files would otherwise be held
// whole, however large.
func readWekaHub(ctx context.Context, c *hub.Client, repo string, limit int64) ([]*wekaTrace, error) {
	files, err := c.List(ctx, hub.Dataset, repo, "", "")
	if err != nil {
		return nil, &options.Error{Flag: "hf-weka-dataset", Msg: err.Error()}
	}
	var traces []*wekaTrace
	r := newInputReader(repo, limit)
	for _, f := range files {
		jsonl := strings.HasSuffix(f, ".jsonl")
		if !jsonl && !strings.HasSuffix(f, ".json") {
			continue
		}
		path, err := c.Download(ctx, hub.Dataset, repo, "", f)
		if err != nil {
			return nil, &options.Error{Flag: "hf-weka-dataset", Msg: err.Error()}
		}
		data, overTotal, err := r.take(path, maxInputFileBytes)
		if overTotal {
			return nil, &options.Error{Flag: "hf-weka-dataset", Msg: fmt.Sprintf("%s/%s: %v (the limit of all its trace files together is %s)", repo, f, err, boundedfile.Size(limit))}
		}
		if err != nil {
			return nil, &options.Error{Flag: "hf-weka-dataset", Msg: fmt.Sprintf("%s/%s: %v", repo, f, err)}
		}
		name := repo + "/" + f
		if !jsonl {
			tr, err := parseWeka(name, data)
			if err != nil {
				return nil, err
			}
			traces = append(traces, tr)
			continue
		}
		for i, l := range bytes.Split(data, []byte("\n")) {
			if l = bytes.TrimSpace(l); len(l) == 0 {
				continue
			}
			tr, err := parseWeka(fmt.Sprintf("%s:%d", name, i+1), l)
			if err != nil {
				return nil, err
			}
			traces = append(traces, tr)
		}
	}
	return traces, nil
}
