package inputs

import (
	"fmt"
	"math/rand"
	"os"
	"strings"
	"testing"

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
	}{
		{"testdata/raw_payload/conversations", TypeRawPayload, []string{"a.jsonl", "b.jsonl", "c_empty.jsonl"}},
		{"testdata/sagemaker", TypeSageMaker, []string{"2026/04/29/00/capture.jsonl", "2026/04/29/00/later.jsonl"}},
		{"testdata/weka/traces", TypeWeka, []string{"trace_a.json", "trace_b.json"}},
		{"testdata/pool", TypeRandomPool, []string{"a_queries.jsonl", "b_clips.jsonl"}},
	}
	for _, c := range cases {
		var paths []string
		for _, f := range c.files {
			paths = append(paths, c.dir+"/"+f)
		}
		total := sizeOf(t, paths...)
		for _, kind := range []string{c.kind, ""} { // explicit and inferred
			t.Run(c.dir+"/"+kind, func(t *testing.T) {
				if d, err := loadLimited(t, total, c.dir, kind); err != nil || len(d.Conversations) == 0 {
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
