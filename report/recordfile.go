package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// FlushInterval bounds how long a finished record waits in a RecordFile's
// buffer: a run killed without warning loses at most this much.
const FlushInterval = time.Second

// RecordFile appends records to a JSONL file as they finish, buffered and
// flushed every FlushInterval and on Close, so a run that is killed leaves
// every record finished more than a second before.
type RecordFile struct {
	path string
	raw  bool // every record whole (profile_export_raw.jsonl), else WriteJSONL's lines
	// trace adds AIPerf's trace_data to WriteJSONL's lines (--export-http-trace).
	trace bool

	mu  sync.Mutex
	f   *os.File
	bw  *bufio.Writer
	err error // the first write error; later writes are dropped

	stop, done chan struct{}
	closeOnce  sync.Once
}

// CreateRecordFile creates path and starts its flusher. With raw, each line
// is a record.Record as JSON, warmup and late records included (--export-level
// raw); otherwise the lines of profile_export.jsonl.
func CreateRecordFile(path string, raw bool) (*RecordFile, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	w := &RecordFile{path: path, raw: raw, f: f, bw: bufio.NewWriterSize(f, 256<<10),
		stop: make(chan struct{}), done: make(chan struct{})}
	go w.flushEvery(FlushInterval)
	return w, nil
}

// IncludeHTTPTrace adds AIPerf's trace_data to each line from now on
// (--export-http-trace); the raw file's records hold their phases already.
func (w *RecordFile) IncludeHTTPTrace() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.trace = true
}

// Add appends r (profile_export.jsonl leaves warmup and late records out).
func (w *RecordFile) Add(r *record.Record) { w.AddMetrics(r, metrics.ForRecord(r)) }

// AddMetrics is Add with r's metrics already derived (metrics.ForRecord).
func (w *RecordFile) AddMetrics(r *record.Record, m metrics.Request) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return
	}
	if w.raw {
		b, err := json.Marshal(r)
		if err == nil {
			w.bw.Write(b)
			err = w.bw.WriteByte('\n')
		}
		w.fail(err)
		return
	}
	if !r.Counted() {
		return
	}
	w.fail(writeLine(w.bw, r, m, w.trace))
}

func (w *RecordFile) fail(err error) {
	if err != nil && w.err == nil {
		w.err = fmt.Errorf("write %s: %w", w.path, err)
	}
}

func (w *RecordFile) flushEvery(d time.Duration) {
	defer close(w.done)
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-w.stop:
			return
		case <-t.C:
			w.mu.Lock()
			if w.err == nil {
				w.fail(w.bw.Flush())
			}
			w.mu.Unlock()
		}
	}
}

// Close flushes what is buffered, closes the file and returns the first
// error met while writing. Closing again does nothing.
func (w *RecordFile) Close() error {
	w.closeOnce.Do(func() { w.closeFile() })
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

func (w *RecordFile) closeFile() {
	close(w.stop)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.fail(w.bw.Flush())
	}
	if err := w.f.Close(); err != nil {
		w.fail(err)
	}
}
