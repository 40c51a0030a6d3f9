package inputs

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"math"
	"math/rand"
	"mime"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/audio"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// form is a transcription body as a server reads it.
type form struct {
	fields   map[string]string
	order    []string
	file     []byte
	filename string
	fileType string
	fileName string // the file part's form name
	fileAt   int    // how many fields came before the file
}

func readForm(t testing.TB, tr Turn) form {
	t.Helper()
	mt, params, err := mime.ParseMediaType(tr.ContentType)
	if err != nil || mt != ContentTypeMultipart || params["boundary"] == "" {
		t.Fatalf("content type %q: %v", tr.ContentType, err)
	}
	f := form{fields: map[string]string{}}
	r := multipart.NewReader(tr.Body.Reader(), params["boundary"])
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("multipart: %v\n%q", err, tr.Body.Bytes())
		}
		b, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		if p.FileName() != "" {
			f.file, f.filename, f.fileType = b, p.FileName(), p.Header.Get("Content-Type")
			f.fileName, f.fileAt = p.FormName(), len(f.order)
			continue
		}
		f.fields[p.FormName()] = string(b)
		f.order = append(f.order, p.FormName())
	}
	if int64(tr.Body.Len()) != int64(len(tr.Body.Bytes())) {
		t.Fatal("Len disagrees with the bytes")
	}
	return f
}

func TestSyntheticTranscription(t *testing.T) {
	cases := []struct {
		args             []string
		filename, ctype  string
		fields           string
		wantStreamFields bool
	}{
		{[]string{"--audio-length-mean", "0.5"}, "audio.wav", "audio/wav", "model", false},
		{[]string{"--audio-length-mean", "0.5", "--streaming", "--osl", "9"}, "audio.wav", "audio/wav",
			"model,stream,stream_include_usage,max_completion_tokens", true},
		{[]string{"--audio-length-mean", "0.5", "--audio-format", "mp3", "--audio-sample-rates", "22.05",
			"--extra-inputs", "language:en", "--extra-inputs", `{"temperature":0,"model":"override"}`}, "audio.mp3", "audio/mpeg",
			"model,language,temperature", false},
	}
	for _, c := range cases {
		args := append([]string{"-m", "whisper", "--endpoint-type", "audio_transcription", "--num-dataset-entries", "3"}, c.args...)
		d := build(t, 1, args...)
		for _, conv := range d.Conversations {
			tr := conv.Turns[0]
			f := readForm(t, tr)
			if strings.Join(f.order, ",") != c.fields {
				t.Fatalf("%v: fields %v, want %s", c.args, f.order, c.fields)
			}
			if f.filename != c.filename || f.fileType != c.ctype {
				t.Fatalf("%v: file part %q %q", c.args, f.filename, f.fileType)
			}
			info, err := audio.Inspect(f.file)
			if err != nil || math.Abs(info.Seconds-tr.AudioSeconds) > 0.03 || len(f.file) != tr.AudioBytes {
				t.Fatalf("%v: clip %+v (%v), turn says %gs %d bytes", c.args, info, err, tr.AudioSeconds, tr.AudioBytes)
			}
			if tr.InputTokens != 0 {
				t.Fatalf("synthetic transcription sends no prompt, ISL %d", tr.InputTokens)
			}
			if c.wantStreamFields && (f.fields["stream"] != "true" || f.fields["max_completion_tokens"] != "9") {
				t.Fatalf("stream fields %v", f.fields)
			}
			if c.fields == "model,language,temperature" && (f.fields["model"] != "override" || f.fields["language"] != "en" || f.fields["temperature"] != "0") {
				t.Fatalf("extra inputs %v", f.fields)
			}
			// inputs.json shows the form as JSON with the clip in base64.
			var view struct {
				Model string `json:"model"`
				File  struct {
					Filename string `json:"filename"`
					Data     string `json:"data"`
				} `json:"file"`
			}
			if err := json.Unmarshal(tr.Inputs.Bytes(), &view); err != nil {
				t.Fatalf("inputs view: %v: %s", err, tr.Inputs.Bytes())
			}
			if raw, _ := base64.StdEncoding.DecodeString(view.File.Data); !bytes.Equal(raw, f.file) || view.File.Filename != c.filename {
				t.Fatal("inputs view does not carry the clip")
			}
		}
		if e := d.Entries(); !bytes.Equal(e[0].Payloads[0].Bytes(), d.Conversations[0].Turns[0].Inputs.Bytes()) {
			t.Fatal("Entries does not show the JSON view of a form")
		}
	}
}

func TestTranscriptionFile(t *testing.T) {
	wav := testkit.ReadFile(t, "testdata/clips/a.wav")
	d := loadArgs(t, "testdata/transcription.jsonl", "single_turn", "--endpoint-type", "audio_transcription", "--streaming")
	if len(d.Conversations) != 2 {
		t.Fatalf("%d conversations", len(d.Conversations))
	}
	first, second := d.Conversations[0].Turns[0], d.Conversations[1].Turns[0]
	f := readForm(t, first)
	if !bytes.Equal(f.file, wav) || f.fields["prompt"] != "Transcribe this." || f.fields["model"] != "x" || f.fields["stream"] != "true" {
		t.Fatalf("spec example form: %v, %d file bytes", f.fields, len(f.file))
	}
	if first.InputTokens != 2 || first.AudioBytes != len(wav) {
		t.Fatalf("turn %+v", first)
	}
	if g := readForm(t, second); g.fields["language"] != "en" || g.fields["temperature"] != "0" || !bytes.Equal(g.file, wav) {
		t.Fatalf("per-line extra: %v", g.fields)
	}
	// A random pool merges a query pool and a clip pool into one form each.
	pool := loadArgs(t, "testdata/pool", "random_pool", "--endpoint-type", "audio_transcription", "--num-dataset-entries", "6")
	for _, c := range pool.Conversations {
		if g := readForm(t, c.Turns[0]); !strings.HasPrefix(g.fields["prompt"], "Question") || !bytes.Equal(g.file, wav) {
			t.Fatalf("pool form: %v", g.fields)
		}
	}
	// The clip's bytes are referenced by both bodies, never copied.
	var clip []byte
	for _, s := range first.Body {
		if len(s) == len(wav) {
			clip = s
		}
	}
	if clip == nil || !sharesSegment(second.Body, clip) {
		t.Fatal("the clip is not one shared segment of both forms")
	}
}

func TestTranscriptionErrors(t *testing.T) {
	wantRefusals(t, []string{"-m", "x", "--endpoint-type", "audio_transcription"}, []refusal{
		{[]string{"--input-file", "testdata/bad/transcription_two_audios.jsonl"}, "transcription_two_audios.jsonl:2: "},
		{[]string{"--input-file", "testdata/bad/transcription_no_audio.jsonl"}, "transcription_no_audio.jsonl:1: "},
		{[]string{"--input-file", "testdata/bad/transcription_image.jsonl"}, "transcription_image.jsonl:1: "},
		{[]string{"--input-file", "testdata/mooncake_trace.jsonl"}, "--endpoint-type audio_transcription"},
		{[]string{"--isl", "5"}, "--audio-length-mean"},
		{[]string{"--audio-length-mean", "1", "--audio-batch-size", "2"}, "--audio-batch-size"},
	})
}

func TestBoundaryAvoidsTheClip(t *testing.T) {
	empty := &formRequest{}
	first := boundaryFor("", rand.New(rand.NewSource(1)), empty)
	if first == "" || boundaryFor(first, rand.New(rand.NewSource(2)), empty) != first {
		t.Fatal("a boundary that fits is kept")
	}
	req := &formRequest{file: &formFile{data: []byte("RIFF..." + first + "...")}}
	next := boundaryFor(first, rand.New(rand.NewSource(1)), req)
	if next == first || req.contains(next) {
		t.Fatalf("boundary %q occurs in the clip", next)
	}
}
