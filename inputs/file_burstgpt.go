package inputs

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/boundedfile"
)

// TypeBurstGPT is --custom-dataset-type burst_gpt_trace: a BurstGPT CSV trace
// (github.com/HPMLL/BurstGPT), inferred for a .csv file.
const TypeBurstGPT = "burst_gpt_trace"

// burstColumns are the columns AIPerf reads; others (Model, Total tokens,
// Log Type) are ignored.
var burstColumns = []string{"Timestamp", "Request tokens", "Response tokens"}

// burstGPT makes a dataset from a BurstGPT CSV as AIPerf's loader does: each
// row is a request of its own session, sent at Timestamp (seconds) with a
// synthetic prompt of Request tokens, asking for Response tokens (a failed
// request's 0 is sent as 1, as for weka_trace). Then as mooncake_trace.
func (b *builder) burstGPT(path string) (*Dataset, error) {
	data, err := boundedfile.Read(path, maxInputFileBytes)
	if err != nil {
		return nil, fmt.Errorf("--input-file: %s: %w", path, err)
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, csvError(err))
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	var missing []string
	for _, c := range burstColumns {
		if _, ok := col[c]; !ok {
			missing = append(missing, strconv.Quote(c))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s: missing column %s (a BurstGPT CSV has Timestamp, Request tokens and Response tokens)", path, strings.Join(missing, ", "))
	}
	var rows []mooncakeRow
	for {
		if err := b.stopped(); err != nil {
			return nil, err
		}
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, csvError(err))
		}
		no, _ := r.FieldPos(0)
		l := line{file: path, no: no}
		row, err := burstRow(rec, col)
		if err != nil {
			return nil, l.errorf("%v", err)
		}
		rows = append(rows, mooncakeRow{l: l, ml: row})
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: no rows after the header", path)
	}
	return b.traceRows(rows)
}

// burstRow reads one CSV row into mooncake_trace's shape.
func burstRow(rec []string, col map[string]int) (mooncakeLine, error) {
	field := func(name string) (string, error) {
		if i := col[name]; i < len(rec) {
			return strings.TrimSpace(rec[i]), nil
		}
		return "", fmt.Errorf("no %s value", name)
	}
	var ml mooncakeLine
	s, err := field("Timestamp")
	if err != nil {
		return ml, err
	}
	sec, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return ml, fmt.Errorf("Timestamp %s is not a number of seconds", quoted(s))
	}
	if err := checkTime("Timestamp", sec, time.Second); err != nil { // before it becomes ms
		return ml, err
	}
	ms := sec * 1000
	ml.Timestamp = &ms
	counts := [2]*int{}
	for i, name := range []string{"Request tokens", "Response tokens"} {
		s, err := field(name)
		if err != nil {
			return ml, err
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return ml, fmt.Errorf("%s %s is not a whole number", name, quoted(s))
		}
		counts[i] = &n
	}
	if *counts[1] == 0 {
		*counts[1] = 1 // a request must ask for a token
	}
	ml.InputLength, ml.OutputLength = counts[0], counts[1]
	return ml, nil
}

// csvError is a CSV reader's error without Go's wording.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("line %d: bad CSV: %v", pe.Line, pe.Err)
	}
	if err == io.EOF {
		return errors.New("empty file")
	}
	return err
}
