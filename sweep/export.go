package sweep

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/aiperf-exporter/aiperf-exporter/internal/boundedfile"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// Value is one figure of a run's JSON export: a metric's statistic and its unit.
type Value struct {
	V    float64
	Unit string
}

// ReadExport reads the JSON export a run wrote into dir as name ("":
// report.JSONFile) and flattens it as
// AIPerf's aggregates name figures: "<metric tag>_<stat>", e.g.
// request_throughput_avg or time_to_first_token_p99. Only metric entries
// (objects with a unit) count; input_config and error details do not. The
// figures AIPerf derives from the counts are added (derive).
func ReadExport(dir, name string) (map[string]Value, error) {
	if name == "" {
		name = report.JSONFile
	}
	path := filepath.Join(dir, name)
	b, err := boundedfile.Read(path, report.MaxExportBytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := map[string]Value{}
	for tag, raw := range doc {
		var m map[string]any
		if json.Unmarshal(raw, &m) != nil {
			continue // schema_version and other scalars
		}
		unit, ok := m["unit"].(string)
		if !ok {
			continue
		}
		for stat, v := range m {
			if x, ok := v.(float64); ok {
				out[tag+"_"+stat] = Value{V: x, Unit: unit}
			}
		}
	}
	derive(out)
	return out, nil
}
