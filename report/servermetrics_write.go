package report

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/aiperf-exporter/aiperf-exporter/servermetrics"
)

// ServerMetricsFormats are the server-metrics exports we write (AIPerf also
// writes jsonl and parquet).
var ServerMetricsFormats = []string{"json", "csv"}

// WriteServerMetrics writes the chosen server-metrics exports into dir and
// returns their paths. Unknown formats are the caller's to reject.
func WriteServerMetrics(dir string, res *servermetrics.Result, info ServerMetricsInfo, formats []string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create artifact dir: %w", err)
	}
	var paths []string
	for _, f := range formats {
		var name string
		var write func(io.Writer) error
		switch f {
		case "json":
			name, write = info.Names.orDefault().ServerMetricsJSON, func(w io.Writer) error { return WriteServerMetricsJSON(w, res, info) }
		case "csv":
			name, write = info.Names.orDefault().ServerMetricsCSV, func(w io.Writer) error { return WriteServerMetricsCSV(w, res, info) }
		default:
			continue
		}
		path := filepath.Join(dir, name)
		if err := writeFile(path, write); err != nil {
			return paths, err
		}
		paths = append(paths, absPath(path))
	}
	return paths, nil
}
