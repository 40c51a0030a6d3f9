package report

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// Paths are the files WriteAll wrote, as absolute paths.
type Paths struct {
	Dir, CSV, JSON, JSONL, Log string
}

// WriteAll creates dir (and dir/logs, for the caller's log file) and writes
// the CSV, JSON and JSONL exports. inputs.json is written by WriteInputsFile,
// as only the caller holds the request bodies.
func WriteAll(dir string, res *metrics.Result, records []*record.Record, info RunInfo) (Paths, error) {
	if err := os.MkdirAll(filepath.Join(dir, LogDir), 0o755); err != nil {
		return Paths{}, fmt.Errorf("create artifact dir: %w", err)
	}
	p := Paths{
		Dir:   absPath(dir),
		CSV:   absPath(filepath.Join(dir, CSVFile)),
		JSON:  absPath(filepath.Join(dir, JSONFile)),
		JSONL: absPath(filepath.Join(dir, JSONLFile)),
		Log:   absPath(LogPath(dir)),
	}
	if err := writeFile(p.CSV, func(w io.Writer) error { return WriteCSV(w, res) }); err != nil {
		return p, err
	}
	info.records = records
	if err := writeFile(p.JSON, func(w io.Writer) error { return WriteJSON(w, res, info) }); err != nil {
		return p, err
	}
	if err := writeFile(p.JSONL, func(w io.Writer) error { return WriteJSONL(w, records) }); err != nil {
		return p, err
	}
	return p, nil
}

// WriteInputsFile writes dir/inputs.json.
func WriteInputsFile(ctx context.Context, dir string, entries []InputsEntry) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create artifact dir: %w", err)
	}
	return writeFile(filepath.Join(dir, InputsFile), func(w io.Writer) error { return WriteInputs(ctx, w, entries) })
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	bw := bufio.NewWriter(f)
	if err := write(bw); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
