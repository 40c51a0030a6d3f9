package inputs

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/internal/boundedfile"
	"github.com/aiperf-exporter/aiperf-exporter/internal/parquetfile"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// TypeBaseten is --custom-dataset-type baseten_trace: a Parquet file of
// recorded requests (inferred from a .parquet file name).
const TypeBaseten = "baseten_trace"

// basetenRow is one row of a baseten trace, as AIPerf's BasetenTrace reads it.
type basetenRow struct {
	no        int     // 1-based row number in the file
	ts        float64 // ms: Unix at first, then since the trace's first row
	prompt    string
	input     int
	output    int
	hashes    []string // total_hashes, decimal (unsigned 64-bit hashes fit)
	provided  string   // provided_session_id ("" = null)
	poor      string   // poor_man_session_id ("" = null)
	e2e       float64  // duration_e2e_ms, 0 when null
	blockSize int      // 0 when null
	delay     *float64 // ms after the turn before ends (closed loop)
	timed     bool     // ts is sent (false: delay is)
}

// basetenColumns are the columns read; the first four are required.
var basetenColumns = []string{"timestamp_start_unix_ms", "prompt", "input_tokens", "output_tokens",
	"total_hashes", "provided_session_id", "poor_man_session_id", "duration_e2e_ms", "block_size"}

// readBaseten reads every row of a baseten Parquet trace: a regular file of
// at most maxInputFileBytes whose prompts take at most maxPromptBytes (a
// compressed file can hold far more than its size).
func readBaseten(path string, maxPromptBytes int64) ([]basetenRow, error) {
	pf, f, err := parquetfile.Open(path, maxInputFileBytes)
	if err != nil {
		return nil, fmt.Errorf("--input-file %s: %w", path, err)
	}
	defer f.Close()
	col := map[int]string{} // leaf column index → basetenColumns name
	unsigned := false       // total_hashes is an unsigned integer column
	for _, p := range pf.Schema().Columns() {
		for _, name := range basetenColumns {
			if p[0] != name {
				continue
			}
			leaf, _ := pf.Schema().Lookup(p...)
			col[leaf.ColumnIndex] = name
			if lt := leaf.Node.Type().LogicalType(); name == "total_hashes" && lt != nil {
				if it, ok := lt.Value.(*format.IntType); ok && !it.IsSigned {
					unsigned = true
				}
			}
		}
	}
	for _, name := range basetenColumns[:4] {
		if !hasValue(col, name) {
			return nil, fmt.Errorf("%s: not a baseten trace: no column %s (want timestamp_start_unix_ms, prompt, input_tokens and output_tokens)", path, name)
		}
	}
	var out []basetenRow
	var held int64 // prompt bytes kept: a compressed file may hold far more than its size
	err = parquetfile.Rows(pf, func(row parquet.Row) (bool, error) {
		br := basetenRow{no: len(out) + 1}
		if err := br.fill(row, col, unsigned); err != nil {
			return true, fmt.Errorf("row %d: %w", br.no, err)
		}
		if held += int64(len(br.prompt)); held > maxPromptBytes {
			return true, fmt.Errorf("row %d: the prompts so far take more than the limit of %s", br.no, boundedfile.Size(maxPromptBytes))
		}
		out = append(out, br)
		return false, nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: empty file", path)
	}
	return out, nil
}

func hasValue(m map[int]string, v string) bool {
	for _, x := range m {
		if x == v {
			return true
		}
	}
	return false
}

// fill sets the row's fields from its Parquet values.
func (br *basetenRow) fill(row parquet.Row, col map[int]string, unsigned bool) error {
	seen := map[string]bool{}
	for _, v := range row {
		name, ok := col[v.Column()]
		if !ok || v.IsNull() {
			continue
		}
		seen[name] = true
		if name == "prompt" || name == "provided_session_id" {
			s := string(v.ByteArray())
			if v.Kind() != parquet.ByteArray {
				n, err := whole(v, name)
				if err != nil {
					return err
				}
				s = strconv.FormatInt(n, 10)
			}
			if name == "prompt" {
				br.prompt = s
			} else {
				br.provided = s
			}
			continue
		}
		if name == "total_hashes" && unsigned {
			br.hashes = append(br.hashes, strconv.FormatUint(v.Uint64(), 10))
			continue
		}
		n, err := whole(v, name)
		if err != nil {
			return err
		}
		switch name {
		case "timestamp_start_unix_ms":
			br.ts = float64(n)
		case "input_tokens":
			br.input = int(min(n, math.MaxInt32))
		case "output_tokens":
			br.output = int(min(n, maxInputLength+1))
		case "total_hashes":
			br.hashes = append(br.hashes, strconv.FormatInt(n, 10))
		case "poor_man_session_id":
			br.poor = strconv.FormatInt(n, 10)
		case "duration_e2e_ms":
			br.e2e = float64(n)
		case "block_size":
			if n < 1 {
				return fmt.Errorf("block_size must be > 0, got %d", n)
			}
			br.blockSize = int(min(n, math.MaxInt32))
		}
	}
	for _, name := range basetenColumns[:4] {
		if !seen[name] {
			return fmt.Errorf("%s is null", name)
		}
	}
	if strings.TrimSpace(br.prompt) == "" {
		return errors.New("prompt is empty")
	}
	if br.output > maxInputLength {
		return fmt.Errorf("output_tokens must be at most %d", maxInputLength)
	}
	return nil
}

// whole is a Parquet value as a non-negative integer (AIPerf's NonNegativeInt).
func whole(v parquet.Value, name string) (int64, error) {
	var n int64
	switch v.Kind() {
	case parquet.Int32, parquet.Int64:
		n = v.Int64()
	case parquet.Float, parquet.Double:
		f := v.Double()
		if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return 0, fmt.Errorf("%s must be a whole number, got %g", name, f)
		}
		n = int64(f)
	default:
		return 0, fmt.Errorf("%s must be a number, got a %s", name, v.Kind())
	}
	if n < 0 {
		return 0, fmt.Errorf("%s must be >= 0, got %d", name, n)
	}
	return n, nil
}
