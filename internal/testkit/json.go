package testkit

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// ReadJSON decodes the JSON file at path into a T; a file that cannot be read
// or decoded fails the test naming it.
func ReadJSON[T any](t testing.TB, path string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(ReadFile(t, path), &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

// ReadJSONLines decodes each line of the JSON Lines file at path into a T;
// a line that does not decode fails the test naming the file and the line.
func ReadJSONLines[T any](t testing.TB, path string) []T {
	t.Helper()
	var out []T
	sc := bufio.NewScanner(bytes.NewReader(ReadFile(t, path)))
	sc.Buffer(nil, 4<<20)
	for n := 1; sc.Scan(); n++ {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("%s line %d: %v", path, n, err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out
}

// JSONAt walks doc, JSON decoded into any, along path (a string steps into
// an object's key, an int into an array's index) and returns the value found
// as a T: a missing step or a value of another shape fails the test naming
// the path, where an unchecked type assertion would panic.
func JSONAt[T any](t testing.TB, doc any, path ...any) T {
	t.Helper()
	v, err := jsonAt(doc, path)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := v.(T)
	if !ok && v == nil && any(got) == nil {
		return got // null as an interface type T (any): nil, as the document says
	}
	if !ok {
		t.Fatalf("JSON %s is %s, want %T", jsonPath(path), jsonShape(v), *new(T))
	}
	return got
}

func jsonAt(v any, path []any) (any, error) {
	for i, step := range path {
		switch s := step.(type) {
		case string:
			obj, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("JSON %s is %s, want an object", jsonPath(path[:i]), jsonShape(v))
			}
			if v, ok = obj[s]; !ok {
				return nil, fmt.Errorf("JSON %s is missing", jsonPath(path[:i+1]))
			}
		case int:
			list, ok := v.([]any)
			if !ok {
				return nil, fmt.Errorf("JSON %s is %s, want an array", jsonPath(path[:i]), jsonShape(v))
			}
			if s < 0 || s >= len(list) {
				return nil, fmt.Errorf("JSON %s is missing: the array holds %d", jsonPath(path[:i+1]), len(list))
			}
			v = list[s]
		default:
			panic(fmt.Sprintf("testkit.JSONAt: path step %v is neither a key nor an index", step))
		}
	}
	return v, nil
}

// jsonPath spells path as jq would: .a.b[0]; the document itself is ".".
func jsonPath(path []any) string {
	if len(path) == 0 {
		return "."
	}
	var b strings.Builder
	for _, step := range path {
		if i, ok := step.(int); ok {
			fmt.Fprintf(&b, "[%d]", i)
		} else {
			fmt.Fprintf(&b, ".%v", step)
		}
	}
	return b.String()
}

// jsonShape names a decoded value's JSON type and shows short values.
func jsonShape(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return fmt.Sprintf("an object of %d keys", len(v))
	case []any:
		return fmt.Sprintf("an array of %d", len(v))
	default:
		return fmt.Sprintf("%T %v", v, v)
	}
}
