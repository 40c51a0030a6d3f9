package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/boundedfile"
)

// Field is one top-level JSON field, kept as written.
type Field struct {
	Key   string
	Value json.RawMessage
}

// Source is what an artifact directory's profile_export_aiperf.json says
// about its run that the records (profile_export.jsonl) cannot rebuild.
// `report DIR` carries it over so a re-rendered export keeps it.
type Source struct {
	// InputConfig is the run's input_config (cli_command included), verbatim.
	InputConfig json.RawMessage
	// Cancelled is was_cancelled.
	Cancelled bool
	// Start and End are start_time and end_time (zero when null).
	Start, End time.Time
	// DroppedLateRequests is dropped_late_requests (records ended after
	// --benchmark-duration + grace are not in the JSONL).
	DroppedLateRequests int
	// Partial is "partial": the run did not finish (see RunInfo.Partial).
	Partial bool
	// Extra are the other top-level fields, in file order; WriteJSON writes
	// those it does not produce itself.
	Extra []Field
}

// MaxExportBytes bounds a JSON export read back (its size does not grow with
// the requests: a few hundred kilobytes with every time slice).
const MaxExportBytes = 256 << 20

// ReadSource reads dir/profile_export_aiperf.json (or the JSON export
// FindNames finds). A directory without one
// gives a zero Source and found false; a file that is not a JSON object is an
// error naming it.
func ReadSource(dir string) (src Source, found bool, err error) {
	names, err := FindNames(dir)
	if err != nil {
		return Source{}, false, err
	}
	path := filepath.Join(dir, names.JSON)
	b, err := boundedfile.Read(path, MaxExportBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return Source{}, false, nil
	}
	if err != nil {
		return Source{}, false, fmt.Errorf("read run info %s: %w", path, err)
	}
	fields, err := topLevelFields(b)
	if err != nil {
		return Source{}, false, fmt.Errorf("%s: %w", path, err)
	}
	for _, f := range fields {
		var perr error
		switch f.Key {
		case "input_config":
			if !bytes.Equal(f.Value, []byte("null")) {
				src.InputConfig = f.Value
			}
		case "was_cancelled":
			perr = json.Unmarshal(f.Value, &src.Cancelled)
		case "start_time":
			src.Start, perr = parsePyTime(f.Value)
		case "end_time":
			src.End, perr = parsePyTime(f.Value)
		case droppedLateKey:
			perr = json.Unmarshal(f.Value, &src.DroppedLateRequests)
		case partialKey:
			perr = json.Unmarshal(f.Value, &src.Partial)
		default:
			src.Extra = append(src.Extra, f)
		}
		if perr != nil {
			return Source{}, false, fmt.Errorf("%s: %s: %w", path, f.Key, perr)
		}
	}
	return src, true, nil
}

// MergeSources combines the sources of shards merged into one report: dropped
// requests add up, the run is cancelled (or partial) if any shard was, and it spans the
// earliest start to the latest end. A single source is returned whole; with
// several, input_config and other fields are left out, as the shards' settings
// differ (seeds, directories).
func MergeSources(srcs []Source) Source {
	if len(srcs) == 1 {
		return srcs[0]
	}
	var out Source
	for _, s := range srcs {
		out.DroppedLateRequests += s.DroppedLateRequests
		out.Cancelled = out.Cancelled || s.Cancelled
		out.Partial = out.Partial || s.Partial
		if !s.Start.IsZero() && (out.Start.IsZero() || s.Start.Before(out.Start)) {
			out.Start = s.Start
		}
		if s.End.After(out.End) {
			out.End = s.End
		}
	}
	return out
}

// Apply copies what the source says into info.
func (s Source) Apply(info *RunInfo) {
	if s.InputConfig != nil {
		info.InputConfig = s.InputConfig
	}
	info.Cancelled = info.Cancelled || s.Cancelled
	info.Partial = info.Partial || s.Partial
	info.Start, info.End = s.Start, s.End
	info.DroppedLateRequests = s.DroppedLateRequests
	info.Extra = s.Extra
}

// topLevelFields splits a JSON object into its fields, in order.
func topLevelFields(b []byte) ([]Field, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("not a JSON object")
	}
	var out []Field
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		out = append(out, Field{Key: key, Value: v})
	}
	return out, nil
}

// parsePyTime reads a time written by pyTime (local time), or null.
func parsePyTime(v json.RawMessage) (time.Time, error) {
	var s *string
	if err := json.Unmarshal(v, &s); err != nil || s == nil {
		return time.Time{}, err
	}
	for _, layout := range []string{"2006-01-02T15:04:05.000000", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, *s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an ISO time", *s)
}
