package inputs

import (
	"fmt"
	"math/rand"
	"os"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// loadLimited loads --input-file path as kind with every file of it together
// bounded to limit bytes.
func loadLimited(t *testing.T, limit int64, path, kind string, extra ...string) (*Dataset, error) {
	t.Helper()
	b, err := newBuilder(opts(t, append([]string{"-m", "x"}, extra...)...), tokens.Words{}, rand.New(rand.NewSource(1)))
	if err != nil {
		t.Fatal(err)
	}
	b.inputLimit = limit
	return b.loadFile(path, kind)
}

// sizeOf is the bytes of the files, together.
func sizeOf(t *testing.T, files ...string) int64 {
	t.Helper()
	var n int64
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		n += st.Size()
	}
	return n
}

// A directory's files have one bound for all of them together, as each file
// has its own: a directory of many files is not held whole, however large.
func TestInputDirTotalBound(t *testing.T) {
	cases := []struct {
		dir, kind string
		files     []string // what the loader reads, the last one last
		media     []string // the media files their lines name, read after them
	}{
		{"testdata/raw_payload/conversations", TypeRawPayload, []string{"a.jsonl", "b.jsonl", "c_empty.jsonl"}, nil},
		{"testdata/sagemaker", TypeSageMaker, []string{"2026/04/29/00/capture.jsonl", "2026/04/29/00/later.jsonl"}, nil},
		{"testdata/weka/traces", TypeWeka, []string{"trace_a.json", "trace_b.json"}, nil},
		{"testdata/pool", TypeRandomPool, []string{"a_queries.jsonl", "b_clips.jsonl"}, []string{"testdata/clips/a.wav"}},
	}
	for _, c := range cases {
		var paths []string
		for _, f := range c.files {
			paths = append(paths, c.dir+"/"+f)
		}
		total := sizeOf(t, paths...)
		for _, kind := range []string{c.kind, ""} { // explicit and inferred
			t.Run(c.dir+"/"+kind, func(t *testing.T) {
				if d, err := loadLimited(t, total+sizeOf(t, c.media...), c.dir, kind); err != nil || len(d.Conversations) == 0 {
					t.Fatalf("at the bound: %v", err)
				}
				last := paths[len(paths)-1]
				if sizeOf(t, last) == 0 { // an empty last file takes nothing: the one before passes the bound
					last = paths[len(paths)-2]
				}
				_, err := loadLimited(t, total-1, c.dir, kind)
				want := fmt.Sprintf("--input-file: %s: larger than the limit of", last)
				bound := fmt.Sprintf("(all files of directory %s together may take at most %d bytes)", c.dir, total-1)
				if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), bound) {
					t.Fatalf("one byte under the files: %v, want %q ... %q", err, want, bound)
				}
			})
		}
	}
}

// A .json input file is read once, whatever type it turns out to be: read
// twice, it would count twice against the bound of its size.
func TestJSONInputFileReadOnce(t *testing.T) {
	cases := []struct {
		path, kind string
		extra      []string
	}{
		{"testdata/inputs_json/inputs.json", "", []string{"--streaming"}},
		{"testdata/inputs_json/inputs.json", TypeInputsJSON, []string{"--streaming"}},
		{"testdata/weka/traces/trace_b.json", "", nil},
		{"testdata/weka/traces/trace_b.json", TypeWeka, nil},
	}
	for _, c := range cases {
		size := sizeOf(t, c.path)
		if d, err := loadLimited(t, size, c.path, c.kind, c.extra...); err != nil || len(d.Conversations) == 0 {
			t.Errorf("%s as %q, bounded to its size: %v", c.path, c.kind, err)
		}
		want := fmt.Sprintf("--input-file: %s: larger than the limit of %d bytes", c.path, size-1)
		if _, err := loadLimited(t, size-1, c.path, c.kind, c.extra...); err == nil || err.Error() != want {
			t.Errorf("%s as %q, one byte under its size: %v, want %q", c.path, c.kind, err, want)
		}
	}
}

// A prompt length drawn past every model's context window (a mean and stddev
// at their bounds draw beyond it half the time) is cut to the bound.
func TestSampledTokensStayWithinTheBound(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	above := 0
	for range 1000 {
		n := promptTokens(rng, options.MaxPromptTokens, options.MaxPromptTokens)
		if n > options.MaxPromptTokens || n < 1 {
			t.Fatalf("drew %d tokens, want 1..%d", n, options.MaxPromptTokens)
		}
		if n == options.MaxPromptTokens {
			above++
		}
	}
	if above == 0 {
		t.Fatal("no draw reached the bound: the case tries nothing")
	}
}

// An output length is a number in the body, not text held: it is sent as
// drawn, however large, for the server to accept or refuse.
func TestOutputTokensAreNotCut(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	if n := sampleTokens(rng, 2147483648, 0); n != 2147483648 {
		t.Fatalf("drew %d output tokens, want 2147483648", n)
	}
}

// The media files an input file names count against the bound of its files
// together: many distinct large clips are not held whole, each with its base64.
func TestMediaFilesCountAgainstTheInputBound(t *testing.T) {
	dir := t.TempDir()
	clip := testkit.ReadFile(t, "testdata/clips/a.wav")
	in := testkit.WriteFile(t, dir, "in.jsonl", `{"text": "a", "audio": "x.wav"}`+"\n"+`{"text": "b", "audio": "y.wav"}`+"\n"+`{"text": "c", "audio": "x.wav"}`+"\n")
	testkit.WriteFile(t, dir, "x.wav", string(clip))
	testkit.WriteFile(t, dir, "y.wav", string(clip))
	limit := sizeOf(t, in) + 2*int64(len(clip)) // x.wav once, however often named
	if d, err := loadLimited(t, limit, in, TypeSingleTurn); err != nil || len(d.Conversations) != 3 {
		t.Fatalf("at the bound: %v", err)
	}
	_, err := loadLimited(t, limit-1, in, TypeSingleTurn)
	want := fmt.Sprintf("in.jsonl:2: audio y.wav: larger than the limit of %d bytes (the files of --input-file %s, its media files included, together may take at most %d bytes)", len(clip)-1, in, limit-1)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("one byte under the files: %v, want %q", err, want)
	}
}

// The note on the bound of a directory's files is given only when that bound
// is what a file passed, not with every error reading one of them.
func TestInputDirBoundNoteOnlyForTheBound(t *testing.T) {
	dir := t.TempDir()
	testkit.WriteFile(t, dir, "a.json", string(testkit.ReadFile(t, "testdata/weka/traces/trace_a.json")))
	if err := os.Mkdir(dir+"/b.json", 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := loadLimited(t, 1<<20, dir, TypeWeka)
	if err == nil || !strings.Contains(err.Error(), "b.json: not a regular file (a directory)") || strings.Contains(err.Error(), "together may take") {
		t.Fatalf("got %v, want the file's own error alone", err)
	}
}
