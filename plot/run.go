package plot

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"

	"github.com/aiperf-exporter/aiperf-exporter/internal/boundedfile"
	"github.com/aiperf-exporter/aiperf-exporter/record"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// Run is one artifact directory: its records and the concurrency it ran at.
type Run struct {
	Dir  string
	Name string // the directory's base name, for legends
	// Concurrency is input_config.loadgen.concurrency of the JSON export, else
	// the "concurrencyN" part of the directory name; 0 when neither says.
	Concurrency int
	Records     []*record.Record
}

var concurrencyInName = regexp.MustCompile(`concurrency(\d+)`)

// LoadRun reads the records of an artifact directory and its concurrency.
func LoadRun(dir string) (Run, error) {
	names, err := report.FindNames(dir) // --profile-export-prefix renames the exports
	if err != nil {
		return Run{}, err
	}
	recs, err := report.ReadRecords(filepath.Join(dir, names.JSONL))
	if err != nil {
		return Run{}, err
	}
	run := Run{Dir: dir, Name: filepath.Base(filepath.Clean(dir)), Records: recs}
	c, err := concurrencyFromJSON(filepath.Join(dir, names.JSON))
	if err != nil {
		return Run{}, err
	}
	if c == 0 {
		if m := concurrencyInName.FindStringSubmatch(run.Name); m != nil {
			c, _ = strconv.Atoi(m[1])
		}
	}
	run.Concurrency = c
	return run, nil
}

// concurrencyFromJSON reads input_config.loadgen.concurrency; 0 when the file
// or the field is missing.
func concurrencyFromJSON(path string) (int, error) {
	b, err := boundedfile.Read(path, report.MaxExportBytes)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read run settings %s: %w", path, err)
	}
	var doc struct {
		InputConfig struct {
			Loadgen struct {
				Concurrency int `json:"concurrency"`
			} `json:"loadgen"`
		} `json:"input_config"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	return doc.InputConfig.Loadgen.Concurrency, nil
}
