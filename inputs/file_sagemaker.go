package inputs

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/endpoint"
	"github.com/aiperf-exporter/aiperf-exporter/internal/boundedfile"
	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// TypeSageMaker is --custom-dataset-type sagemaker_data_capture: Amazon
// SageMaker real-time endpoint Data Capture files, inferred from a first line
// with captureData and eventMetadata.
const TypeSageMaker = "sagemaker_data_capture"

// captureRecord is one Data Capture line.
type captureRecord struct {
	CaptureData *struct {
		EndpointInput  *captureEntry `json:"endpointInput"`
		EndpointOutput *captureEntry `json:"endpointOutput"` // not used: ISL is counted here
	} `json:"captureData"`
	EventMetadata *struct {
		EventID       string `json:"eventId"`
		InferenceTime string `json:"inferenceTime"`
	} `json:"eventMetadata"`
}

// captureEntry is a captured payload, JSON or (the default) base64.
type captureEntry struct {
	Data     *string `json:"data"`
	Encoding string  `json:"encoding"`
}

// capturedRequest is what is replayed of a captured chat request.
type capturedRequest struct {
	Messages            json.RawMessage `json:"messages"`
	Tools               json.RawMessage `json:"tools"`
	MaxTokens           *int            `json:"max_tokens"`
	MaxCompletionTokens *int            `json:"max_completion_tokens"`
}

// capturedTurn is one record before it becomes a turn.
type capturedTurn struct {
	at  time.Time
	req capturedRequest
}

// sageMaker makes a dataset from a Data Capture file, or a directory of them
// (every .jsonl below it, in path order), as AIPerf's loader does: each
// record is a session of its own, sent at its inferenceTime (the earliest
// is 0), its captured messages and tools sent as they are in a chat body
// with max tokens from its max_tokens (or max_completion_tokens).
func (b *builder) sageMaker(r *inputReader, path string) (*Dataset, error) {
	if bodyOf(b.o.EndpointType) != endpoint.BodyChat {
		return nil, &options.Error{Flag: "endpoint-type", Msg: fmt.Sprintf("%s replays chat requests, not %s", TypeSageMaker, b.o.EndpointType)}
	}
	if err := b.noSynthesis(path, TypeSageMaker); err != nil {
		return nil, err
	}
	files, err := captureFiles(path)
	if err != nil {
		return nil, err
	}
	var recs []capturedTurn
	for _, p := range files {
		data, err := r.read(p)
		if err != nil {
			return nil, err
		}
		lines, err := splitLines(p, data)
		if err != nil {
			continue // an empty capture file
		}
		for _, l := range lines {
			if err := b.stopped(); err != nil {
				return nil, err
			}
			rec, err := readCapture(l.data)
			if err != nil {
				return nil, l.errorf("%v", err)
			}
			if err := b.stamps.add(float64(rec.at.UnixMilli()), at(l.where())); err != nil {
				return nil, err
			}
			recs = append(recs, rec)
		}
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("--input-file: %s holds no capture records", path)
	}
	sort.SliceStable(recs, func(i, j int) bool { return recs[i].at.Before(recs[j].at) })
	d := &Dataset{FixedSchedule: true}
	for _, r := range recs {
		t := Turn{Model: b.model(), ContentType: ContentTypeJSON, HasTimestamp: true, Timestamp: r.at.Sub(recs[0].at)}
		for _, n := range []*int{r.req.MaxCompletionTokens, r.req.MaxTokens} {
			if n != nil {
				t.MaxTokens = *n
			}
		}
		req := chatRequest{RawMessages: r.req.Messages, RawTools: r.req.Tools, Model: t.Model, Stream: b.o.Streaming,
			MaxTokens: t.MaxTokens, LegacyMaxKey: b.o.LegacyMaxTokens, Extra: b.extra}
		t.Body = req.body()
		var texts []string
		var msgs []struct {
			Content json.RawMessage `json:"content"`
		}
		json.Unmarshal(r.req.Messages, &msgs) // checked by readCapture
		for _, m := range msgs {
			texts = appendTexts(texts, m.Content)
		}
		t.InputTokens = b.counter.Count(strings.Join(texts, " "))
		d.Conversations = append(d.Conversations, Conversation{ID: sessionID(b.rng), Turns: []Turn{t}})
	}
	return d, nil
}

// captureFiles is path itself, or every .jsonl file below the directory path.
func captureFiles(path string) ([]string, error) {
	return inputFiles(path, ".jsonl capture", func(dir string) (files []string, err error) {
		err = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() && strings.HasSuffix(p, ".jsonl") {
				files = append(files, p)
			}
			return err
		})
		return files, err
	})
}

// readCapture reads one capture record, refusing what AIPerf refuses.
func readCapture(data []byte) (capturedTurn, error) {
	var rec captureRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return capturedTurn{}, errors.New(cleanJSONError(err))
	}
	if rec.EventMetadata == nil || rec.EventMetadata.InferenceTime == "" {
		return capturedTurn{}, errors.New("eventMetadata.inferenceTime is required")
	}
	at, err := time.Parse(time.RFC3339Nano, rec.EventMetadata.InferenceTime)
	if err != nil { // Python's fromisoformat also takes a time without zone
		at, err = time.Parse("2006-01-02T15:04:05.999999999", rec.EventMetadata.InferenceTime)
	}
	if err != nil {
		return capturedTurn{}, fmt.Errorf("eventMetadata.inferenceTime %s is not an ISO 8601 time", quoted(rec.EventMetadata.InferenceTime))
	}
	if rec.CaptureData == nil || rec.CaptureData.EndpointInput == nil || rec.CaptureData.EndpointInput.Data == nil {
		return capturedTurn{}, errors.New("captureData.endpointInput.data is required")
	}
	payload, err := decodeCapture(rec.CaptureData.EndpointInput)
	if err != nil {
		return capturedTurn{}, fmt.Errorf("captureData.endpointInput: %v", err)
	}
	var req capturedRequest
	if err := json.Unmarshal(payload, &req); err != nil || !bytes.HasPrefix(bytes.TrimSpace(req.Messages), []byte("[")) {
		return capturedTurn{}, errors.New(`the captured request has no "messages" list (only OpenAI-compatible chat requests can be replayed)`)
	}
	return capturedTurn{at: at, req: req}, nil
}

// decodeCapture is a captured payload's JSON.
func decodeCapture(e *captureEntry) ([]byte, error) {
	switch e.Encoding {
	case "JSON":
		return []byte(*e.Data), nil
	case "", "BASE64":
		return base64.StdEncoding.DecodeString(*e.Data)
	}
	return nil, fmt.Errorf("encoding %s is not JSON or BASE64", quoted(e.Encoding))
}

// looksSageMaker tells whether the first line of path (or of its first .jsonl
// file) is a capture record.
func looksSageMaker(path string) bool {
	files, err := captureFiles(path)
	if err != nil {
		return false
	}
	first, ok := firstLine(files[0])
	var keys map[string]json.RawMessage
	return ok && json.Unmarshal(first, &keys) == nil && keys["captureData"] != nil && keys["eventMetadata"] != nil
}

// firstLine is the first non-blank line of path, read no further than it (at
// most 1 MiB), for inferring a file's type.
func firstLine(path string) ([]byte, bool) {
	f, _, err := boundedfile.Open(path, maxInputFileBytes) // a named pipe is never opened
	if err != nil {
		return nil, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if l := bytes.TrimSpace(sc.Bytes()); len(l) > 0 {
			return l, true
		}
	}
	return nil, false
}
