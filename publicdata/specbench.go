package publicdata

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// SpecBenchURL is Spec-Bench's question file at the commit AIPerf pins: the
// one public dataset not on the Hub. Tests point it at a loopback server.
var SpecBenchURL = "https://raw.githubusercontent.com/hemingkx/Spec-Bench/fd2c1cd7d2201ef71db4c5f4e455008f017967bf/data/spec_bench/question.jsonl"

// DatasetCacheDir is AIPerf's cache of public datasets fetched by URL,
// relative to the working directory as AIPerf has it, so either tool reuses
// what the other downloaded.
const DatasetCacheDir = ".cache/aiperf/datasets"

// loadSpecBench reads Spec-Bench from AIPerf's cache file, downloading it
// first when absent: one single-turn conversation per question, its first
// turn, as AIPerf's SpecBenchLoader (multi_turn off). Offline
// (HF_HUB_OFFLINE) only the cache file is read.
func loadSpecBench(ctx context.Context, o TextOptions, offline bool) ([]Entry, error) {
	path := filepath.Join(o.cacheDir(), "spec_bench.jsonl")
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if offline {
			return nil, fmt.Errorf("public dataset spec_bench: %s is not there and downloads are off (HF_HUB_OFFLINE)", path)
		}
		if err := download(ctx, SpecBenchURL, path); err != nil {
			return nil, err
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Entry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<16), 64<<20)
	for n := 1; sc.Scan() && (o.Max <= 0 || len(out) < o.Max); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var row struct {
			Turns []any `json:"turns"`
		}
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, n, err)
		}
		if len(row.Turns) == 0 || row.Turns[0] == nil || strings.TrimSpace(fmt.Sprint(row.Turns[0])) == "" {
			continue
		}
		out = append(out, Entry{Turns: []Prompt{{Text: fmt.Sprint(row.Turns[0])}}})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// maxSpecBenchBytes bounds the download: the question file is about 0.5 MB.
const maxSpecBenchBytes = 64 << 20

// download saves url at path through a temporary file, so an interrupted
// download never looks complete.
func download(ctx context.Context, url, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("download %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("download %s: %s", url, resp.Status)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.partial")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	n, err := io.Copy(tmp, io.LimitReader(resp.Body, maxSpecBenchBytes+1))
	if err == nil && n > maxSpecBenchBytes {
		err = fmt.Errorf("larger than %d bytes", int64(maxSpecBenchBytes))
	}
	if err != nil {
		tmp.Close()
		return fmt.Errorf("download %s: %w", url, err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
