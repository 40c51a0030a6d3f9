package accuracy

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// JSONLFile is AIPerf's per-record accuracy file; with an export prefix it
// is <prefix>_accuracy.jsonl.
const JSONLFile = "accuracy_export.jsonl"

// JSONLName is the per-record file's name for an export prefix ("" for none).
func JSONLName(prefix string) string {
	if prefix == "" {
		return JSONLFile
	}
	return prefix + "_accuracy.jsonl"
}

// jsonlLine is AIPerf's AccuracyRecordsData, its fields in its order.
type jsonlLine struct {
	SessionNum     int         `json:"session_num"`
	ConversationID string      `json:"conversation_id"`
	RequestID      string      `json:"x_request_id"`
	WorkerID       string      `json:"worker_id"`
	Phase          string      `json:"benchmark_phase"`
	TimestampNs    int64       `json:"timestamp_ns"`
	Task           string      `json:"task"`
	Grader         string      `json:"grader_name"`
	Passed         bool        `json:"passed"`
	Unparsed       bool        `json:"unparsed"`
	Confidence     pyJSONFloat `json:"confidence"`
	Expected       string      `json:"expected"`
	Actual         string      `json:"actual"`
	Explanation    string      `json:"explanation"`
	ModelOutput    string      `json:"model_output"`
	ModelThinking  *string     `json:"model_thinking"`
}

// JSONLWriter writes one line per graded record, the warmup's too, as
// AIPerf's AccuracyJSONLWriter does.
type JSONLWriter struct {
	f   *os.File
	w   *bufio.Writer
	err error
}

// CreateJSONL creates the per-record accuracy file at path.
func CreateJSONL(path string) (*JSONLWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return &JSONLWriter{f: f, w: bufio.NewWriter(f)}, nil
}

// Add writes r's grade, if it has one. The timestamp is when its response
// ended, right before it was graded.
func (j *JSONLWriter) Add(r *record.Record) {
	g := r.Accuracy
	if g == nil || j.err != nil {
		return
	}
	line := jsonlLine{SessionNum: r.SessionNum, ConversationID: r.ConversationID, RequestID: r.RequestID,
		WorkerID: fmt.Sprintf("worker_%d", r.WorkerID), Phase: string(r.Phase), TimestampNs: r.StartNs + int64(r.EndOffset),
		Task: g.Task, Grader: g.Grader, Passed: g.Passed, Unparsed: g.Unparsed, Expected: g.Expected, Actual: g.Actual,
		Explanation: g.Explanation, ModelOutput: g.ModelOutput, ModelThinking: g.ModelThinking}
	if g.Passed {
		line.Confidence = 1
	}
	enc := json.NewEncoder(j.w)
	enc.SetEscapeHTML(false) // as Python's json: "<think>" stays readable
	j.err = enc.Encode(line)
}

// Close flushes and closes the file; the first error wins.
func (j *JSONLWriter) Close() error {
	if j == nil {
		return nil
	}
	err := j.err
	if ferr := j.w.Flush(); err == nil {
		err = ferr
	}
	if cerr := j.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", strings.TrimSpace(j.f.Name()), err)
	}
	return nil
}

// pyJSONFloat is a float as Python's JSON writes it: 1.0, not 1.
type pyJSONFloat float64

func (f pyJSONFloat) MarshalJSON() ([]byte, error) { return []byte(pyFloat(float64(f))), nil }
