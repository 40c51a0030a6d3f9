package report

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// OutputsFile is AIPerf's outputs.json (--export-outputs-json).
const OutputsFile = "outputs.json"

// outputsSchema is the version of AIPerf's outputs.json layout written.
const outputsSchema = "1.1"

// OutputsName is outputs.json's name for export names n: <prefix>_outputs.json
// under --profile-export-prefix, as AIPerf names it.
func OutputsName(n Names) string {
	n = n.orDefault()
	if n.JSONL == JSONLFile {
		return OutputsFile
	}
	return strings.TrimSuffix(n.JSONL, ".jsonl") + "_outputs.json"
}

// outputsMetrics are the per-request metrics outputs.json carries (AIPerf's
// allowlist), in display units.
var outputsMetrics = []string{metrics.ISL, metrics.OutputTokenCount, metrics.OSL, metrics.RequestLatency, metrics.TTFT, metrics.ITL}

// OutputsWriter writes outputs.json: each request's generated text, profiling
// requests under "data" and warmup ones under "warmup", each sorted by
// (session_num, turn_index), as AIPerf writes it. Entries wait in a scratch
// file beside it in arrival order, so the run never holds the texts; Close
// writes the file sorted and removes the scratch.
type OutputsWriter struct {
	path    string
	scratch *os.File
	bw      *bufio.Writer
	off     int64
	index   []outputEntry
	err     error
}

// outputEntry is where one entry's JSON sits in the scratch file.
type outputEntry struct {
	warmup        bool
	session, turn int
	off           int64
	size          int
}

// CreateOutputs starts outputs.json at path.
func CreateOutputs(path string) (*OutputsWriter, error) {
	f, err := os.Create(path + ".part")
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	return &OutputsWriter{path: path, scratch: f, bw: bufio.NewWriterSize(f, 256<<10)}, nil
}

// Add writes r's entry; records dropped for ending late are left out, as
// every report leaves them out. Calls must not overlap.
func (w *OutputsWriter) Add(r *record.Record) { w.AddMetrics(r, metrics.ForRecord(r)) }

// AddMetrics is Add with r's metrics already derived (metrics.ForRecord).
func (w *OutputsWriter) AddMetrics(r *record.Record, m metrics.Request) {
	warmup := r.Phase == record.PhaseWarmup
	if w.err != nil || (!warmup && !r.Counted()) {
		return
	}
	b, err := marshal(outputsEntry(r, m))
	if err != nil {
		w.err = fmt.Errorf("encode output of %s: %w", r.RequestID, err)
		return
	}
	if _, err := w.bw.Write(b); err != nil {
		w.err = err
		return
	}
	w.index = append(w.index, outputEntry{warmup: warmup, session: r.SessionNum, turn: r.TurnIndex, off: w.off, size: len(b)})
	w.off += int64(len(b))
}

func outputsEntry(r *record.Record, m metrics.Request) *object {
	o := &object{}
	o.set("session_num", r.SessionNum)
	o.set("conversation_id", r.ConversationID)
	o.set("turn_index", r.TurnIndex)
	o.set("x_request_id", r.RequestID)
	phase := r.Phase
	if phase == "" {
		phase = record.PhaseProfiling
	}
	o.set("benchmark_phase", phase)
	o.set("request_start_ns", r.StartNs)
	end := r.StartNs + int64(r.EndOffset)
	if r.Valid() {
		end = r.StartNs + int64(r.Responses[len(r.Responses)-1].Offset)
	}
	o.set("request_end_ns", end)
	ms := &object{}
	for _, tag := range outputsMetrics {
		if v, ok := m.Get(tag); ok {
			d, _ := metrics.Lookup(tag)
			ms.set(tag, recordValue(d, v))
		}
	}
	o.set("metrics", ms)
	var text any
	if r.ResponseText != "" {
		text = r.ResponseText
	}
	o.set("response_text", text)
	return o
}

// Close writes outputs.json from the scratch file, sorted, and removes the
// scratch; the first error met while writing is returned.
func (w *OutputsWriter) Close() error {
	defer os.Remove(w.scratch.Name())
	defer w.scratch.Close()
	if w.err == nil {
		w.err = w.bw.Flush()
	}
	if w.err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(w.path), w.err)
	}
	slices.SortStableFunc(w.index, func(a, b outputEntry) int {
		return cmp.Or(cmp.Compare(a.session, b.session), cmp.Compare(a.turn, b.turn))
	})
	f, err := os.Create(w.path)
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(w.path), err)
	}
	out := bufio.NewWriterSize(f, 256<<10)
	fmt.Fprintf(out, `{"schema_version":%q,"data":[`, outputsSchema)
	err = w.copyEntries(out, false)
	if err == nil {
		_, _ = out.WriteString(`],"warmup":[`)
		err = w.copyEntries(out, true)
	}
	if err == nil {
		_, _ = out.WriteString("]}\n")
		err = out.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(w.path), err)
	}
	return nil
}

// copyEntries copies the entries of one array from the scratch file, in
// index order, comma-separated.
func (w *OutputsWriter) copyEntries(out *bufio.Writer, warmup bool) error {
	var buf bytes.Buffer
	first := true
	for _, e := range w.index {
		if e.warmup != warmup {
			continue
		}
		buf.Reset()
		if _, err := io.Copy(&buf, io.NewSectionReader(w.scratch, e.off, int64(e.size))); err != nil {
			return err
		}
		if !first {
			out.WriteByte(',')
		}
		first = false
		out.Write(buf.Bytes())
	}
	return nil
}
