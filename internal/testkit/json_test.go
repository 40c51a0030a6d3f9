package testkit

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
)

// fatalRecorder is a testing.TB whose Fatal keeps the message and ends only
// the goroutine of the call under test.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (r *fatalRecorder) Helper() {}
func (r *fatalRecorder) Fatal(args ...any) {
	r.msg = fmt.Sprint(args...)
	runtime.Goexit()
}
func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// fatalOf runs f with a recorder and returns what it failed with, "" if it passed.
func fatalOf(t *testing.T, f func(tb testing.TB)) string {
	r := &fatalRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r.msg
}

// JSONAt returns what the path leads to, and fails naming the path where a
// step is missing or of the wrong shape.
func TestJSONAt(t *testing.T) {
	var doc any
	if err := json.Unmarshal([]byte(`{"a": {"b": [1.5, {"c": "x"}], "n": null}}`), &doc); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		get     func(tb testing.TB) any
		want    any
		wantErr string
	}{
		{"number", func(tb testing.TB) any { return JSONAt[float64](tb, doc, "a", "b", 0) }, 1.5, ""},
		{"string in an array's object", func(tb testing.TB) any { return JSONAt[string](tb, doc, "a", "b", 1, "c") }, "x", ""},
		{"the document itself", func(tb testing.TB) any { return len(JSONAt[map[string]any](tb, doc)) }, 1, ""},
		{"missing key", func(tb testing.TB) any { return JSONAt[any](tb, doc, "a", "z") }, nil, "JSON .a.z is missing"},
		{"index past the end", func(tb testing.TB) any { return JSONAt[any](tb, doc, "a", "b", 2) }, nil, "JSON .a.b[2] is missing: the array holds 2"},
		{"key into an array", func(tb testing.TB) any { return JSONAt[any](tb, doc, "a", "b", "c") }, nil, "JSON .a.b is an array of 2, want an object"},
		{"index into an object", func(tb testing.TB) any { return JSONAt[any](tb, doc, "a", 0) }, nil, "JSON .a is an object of 2 keys, want an array"},
		{"wrong type at the end", func(tb testing.TB) any { return JSONAt[string](tb, doc, "a", "b", 0) }, nil, "JSON .a.b[0] is float64 1.5, want string"},
		{"null as any", func(tb testing.TB) any { return JSONAt[any](tb, doc, "a", "n") }, nil, ""},
		{"null is no object", func(tb testing.TB) any { return JSONAt[map[string]any](tb, doc, "a", "n") }, nil, "JSON .a.n is null, want map[string]interface {}"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got any
			msg := fatalOf(t, func(tb testing.TB) { got = c.get(tb) })
			if msg != c.wantErr || (c.wantErr == "" && got != c.want) {
				t.Errorf("got %v, failure %q; want %v, failure %q", got, msg, c.want, c.wantErr)
			}
		})
	}
}

// ReadJSON and ReadJSONLines decode a file into the type asked for, and fail
// naming the file (and the line) that does not decode.
func TestReadJSONFiles(t *testing.T) {
	dir := t.TempDir()
	WriteFiles(t, dir, map[string]string{
		"doc.json":  `{"n": 3}`,
		"bad.json":  `{"n": "three"}`,
		"ok.jsonl":  "{\"n\": 1}\n{\"n\": 2}\n",
		"bad.jsonl": "{\"n\": 1}\n{\"n\":\n",
	})
	type doc struct{ N int }
	if got := ReadJSON[doc](t, filepath.Join(dir, "doc.json")); got.N != 3 {
		t.Errorf("ReadJSON: %+v, want n 3", got)
	}
	if got := ReadJSONLines[doc](t, filepath.Join(dir, "ok.jsonl")); len(got) != 2 || got[0].N != 1 || got[1].N != 2 {
		t.Errorf("ReadJSONLines: %+v, want n 1 and 2", got)
	}
	for _, c := range []struct {
		name, want string
		read       func(tb testing.TB)
	}{
		{"bad.json", filepath.Join(dir, "bad.json") + ": json: cannot unmarshal string into Go struct field doc.N of type int",
			func(tb testing.TB) { ReadJSON[doc](tb, filepath.Join(dir, "bad.json")) }},
		{"bad.jsonl", filepath.Join(dir, "bad.jsonl") + " line 2: unexpected end of JSON input",
			func(tb testing.TB) { ReadJSONLines[doc](tb, filepath.Join(dir, "bad.jsonl")) }},
		{"missing", "open " + filepath.Join(dir, "none.json") + ": no such file or directory",
			func(tb testing.TB) { ReadJSON[doc](tb, filepath.Join(dir, "none.json")) }},
	} {
		if got := fatalOf(t, c.read); got != c.want {
			t.Errorf("%s: failed with %q, want %q", c.name, got, c.want)
		}
	}
}
