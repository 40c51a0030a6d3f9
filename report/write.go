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
	if info.Tally == nil {
		info.Tally = &Tally{}
		for _, r := range records {
			info.Tally.Add(r)
		}
	}
	p, err := WriteSummary(dir, res, info)
	if err != nil {
		return p, err
	}
	if err := writeFile(p.JSONL, func(w io.Writer) error { return WriteJSONL(w, records) }); err != nil {
		return p, err
	}
	return p, nil
}

// WriteSummary creates dir (and dir/logs) and writes the CSV and JSON
// exports: WriteAll without the records, which `profile` streams to its
// RecordFile as they finish.
func WriteSummary(dir string, res *metrics.Result, info RunInfo) (Paths, error) {
	if err := os.MkdirAll(filepath.Join(dir, LogDir), 0o755); err != nil {
		return Paths{}, fmt.Errorf("create artifact dir: %w", err)
	}
	names := info.Names.orDefault()
	p := Paths{
		Dir:   absPath(dir),
		CSV:   absPath(filepath.Join(dir, names.CSV)),
		JSON:  absPath(filepath.Join(dir, names.JSON)),
		JSONL: absPath(filepath.Join(dir, names.JSONL)),
		Log:   absPath(LogPath(dir)),
	}
	if err := writeFile(p.CSV, func(w io.Writer) error { return WriteCSV(w, res) }); err != nil {
		return p, err
	}
	if err := WriteJSONFile(dir, res, info); err != nil {
		return p, err
	}
	return p, nil
}

// WriteJSONFile writes dir/profile_export_aiperf.json (info.Names.JSON). `profile` also writes
// one when it starts, marked partial with what it knows then (input_config,
// start time), so that a run killed before its end still tells `report`
// how it was run and that it did not finish.
func WriteJSONFile(dir string, res *metrics.Result, info RunInfo) error {
	return writeFile(filepath.Join(dir, info.Names.orDefault().JSON), func(w io.Writer) error { return WriteJSON(w, res, info) })
}

// WriteInputsFile writes dir/inputs.json.
func WriteInputsFile(ctx context.Context, dir string, entries []InputsEntry) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create artifact dir: %w", err)
	}
	return writeFile(filepath.Join(dir, InputsFile), func(w io.Writer) error { return WriteInputs(ctx, w, entries) })
}

// writeFile writes path whole or not at all: into a temporary file renamed
// over it, so a run killed while writing never leaves half a file.
func writeFile(path string, write func(io.Writer) error) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	bw := bufio.NewWriter(f)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
