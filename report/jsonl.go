package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// WriteJSONL writes profile_export.jsonl: one line per profiling record
// (errors included; warmup and records dropped for ending after the
// duration's grace period excluded) in AIPerf's shape,
//
//	{"metadata": {...}, "metrics": {tag: {"value", "unit"}}, "error": null|{...}, "record": {...}}
//
// "record" is our extension: the raw record.Record, so that
// `aiperf-exporter report` (ReadRecords) can rebuild every report exactly.
func WriteJSONL(w io.Writer, records []*record.Record) error {
	bw := bufio.NewWriter(w)
	for _, r := range records {
		if !r.Counted() {
			continue
		}
		if err := writeLine(bw, r, metrics.ForRecord(r), false); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// writeLine writes r's JSONL line and its newline; with trace, the line
// has AIPerf's trace_data (--export-http-trace).
func writeLine(w *bufio.Writer, r *record.Record, m metrics.Request, trace bool) error {
	line, err := marshal(jsonlLine(r, m, trace))
	if err != nil {
		return fmt.Errorf("encode record %s: %w", r.RequestID, err)
	}
	w.Write(line)
	return w.WriteByte('\n')
}

func jsonlLine(r *record.Record, m metrics.Request, trace bool) *object {
	md := &object{}
	md.set("session_num", r.SessionNum)
	md.set("x_request_id", r.RequestID)
	md.set("x_correlation_id", r.CorrelationID)
	md.set("conversation_id", r.ConversationID)
	md.set("turn_index", r.TurnIndex)
	md.set("request_start_ns", r.StartNs)
	var ack any
	if r.AckOffset > 0 {
		ack = r.StartNs + int64(r.AckOffset)
	}
	md.set("request_ack_ns", ack)
	end := r.StartNs + int64(r.EndOffset)
	if r.Valid() {
		end = r.StartNs + int64(r.Responses[len(r.Responses)-1].Offset)
	}
	md.set("request_end_ns", end)
	md.set("worker_id", "worker_"+strconv.Itoa(r.WorkerID))
	md.set("record_processor_id", "record_processor_0")
	phase := r.Phase
	if phase == "" {
		phase = record.PhaseProfiling
	}
	md.set("benchmark_phase", phase)
	md.set("was_cancelled", r.Cancelled)
	var cancel any
	if r.Cancelled {
		cancel = r.StartNs + int64(r.CancelOffset)
	}
	md.set("cancellation_time_ns", cancel)

	ms := &object{}
	for _, d := range metrics.Defs {
		if d.Has(metrics.AggregateMetric) || d.Has(metrics.Extension) {
			continue
		}
		var value any
		if d.Tag == metrics.ICL {
			if len(m.ICL) == 0 {
				continue
			}
			list := make([]pyFloat, len(m.ICL))
			for i, v := range m.ICL {
				list[i] = pyFloat(v)
			}
			value = list
		} else {
			v, ok := m.Get(d.Tag)
			if !ok {
				continue
			}
			value = recordValue(d, v)
		}
		mv := &object{}
		mv.set("value", value)
		mv.set("unit", d.Unit)
		ms.set(d.Tag, mv)
	}

	o := &object{}
	o.set("metadata", md)
	o.set("metrics", ms)
	if trace {
		if td := traceData(r); td != nil {
			o.set("trace_data", td)
		}
	}
	if r.Error != nil {
		e := &object{}
		e.set("code", nilIfZero(r.Error.Code))
		e.set("type", nilIfEmpty(r.Error.Type))
		e.set("message", r.Error.Message)
		o.set("error", e)
	} else {
		o.set("error", nil)
	}
	o.set("record", r)
	return o
}

// recordValue prints token counts as integers (Python ints in AIPerf) and
// everything else as floats.
func recordValue(d metrics.Def, v float64) any {
	if d.Unit == "tokens" && v == float64(int64(v)) {
		return int64(v)
	}
	return pyFloat(v)
}

func nilIfZero(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// maxLine bounds one JSONL line when reading (records carry no audio).
const maxLine = 64 << 20

// ReadRecords reads the records back from a profile_export.jsonl written by
// WriteJSONL or a RecordFile, leaving out a last line cut short (see
// EachRecord). Errors name the file and line.
func ReadRecords(path string) ([]*record.Record, error) {
	var out []*record.Record
	_, err := EachRecord(path, func(r *record.Record) { out = append(out, r) })
	return out, err
}

// EachRecord calls fn with each record of a profile_export.jsonl, in file
// order, without holding them. A last line without its newline that does not
// parse was cut short by a run that was killed while writing it: it is skipped
// and counted in truncated. Any other bad line is an error naming the file
// and line.
func EachRecord(path string, fn func(*record.Record)) (truncated int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("read records: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	unterminated := false // the line just scanned had no newline
	sc.Split(func(data []byte, atEOF bool) (int, []byte, error) {
		adv, tok, err := bufio.ScanLines(data, atEOF)
		unterminated = atEOF && tok != nil && adv == len(data) && data[len(data)-1] != '\n'
		return adv, tok, err
	})
	n := 0
	for n = 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var l struct {
			Record *record.Record `json:"record"`
		}
		if err := json.Unmarshal(line, &l); err != nil {
			if unterminated {
				return 1, nil
			}
			return 0, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		if l.Record == nil {
			return 0, fmt.Errorf("%s:%d: no \"record\" object (not written by aiperf-exporter?)", path, n)
		}
		fn(l.Record)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return 0, fmt.Errorf("%s:%d: line longer than %d bytes", path, n, maxLine)
		}
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	return 0, nil
}
