package endpoint

import (
	"encoding/json"
	"strings"
	"testing"
)

// Every row is complete and consistent: a new endpoint type cannot be added
// with a field forgotten.
func TestEveryTypeIsComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, ty := range All() {
		name := ty.Name
		if name == "" || strings.ToLower(name) != name || strings.ContainsAny(name, " ,") {
			t.Errorf("%q: want a lower-case name without spaces or commas", name)
		}
		if seen[name] {
			t.Errorf("%s: listed twice", name)
		}
		seen[name] = true
		for what, path := range map[string]string{"Path": ty.Path, "StreamPath": ty.StreamPath} {
			if (path != "" || what == "Path") && (!strings.HasPrefix(path, "/") || strings.ContainsAny(path, " ?#")) {
				t.Errorf("%s: %s %q is not a plain absolute path", name, what, path)
			}
		}
		if ty.StreamPath != "" && !ty.Streams {
			t.Errorf("%s: a streaming path but never streams", name)
		}
		if ty.Title == "" || !strings.HasSuffix(ty.Title, "Metrics") {
			t.Errorf("%s: console title %q, want AIPerf's \"... Metrics\"", name, ty.Title)
		}
		if ty.Title == llmTitle && !ty.Tokens { // solido_rag produces tokens under a title of its own
			t.Errorf("%s: produces no tokens but the title is %q (AIPerf: LLM Metrics only for tokens)", name, ty.Title)
		}
		if ty.Operation == "" {
			t.Errorf("%s: no OTel operation name", name)
		}
		if ty.Body < BodyChat || ty.Body > BodyVideoGeneration {
			t.Errorf("%s: body kind %d is not one of the Body constants", name, ty.Body)
		}
		if ty.Reply < ReplyContent || ty.Reply > ReplyVideoJob {
			t.Errorf("%s: reply shape %d is not one of the Reply constants", name, ty.Reply)
		}
		var key string
		if err := json.Unmarshal([]byte(ty.ResultKey), &key); (ty.Reply == ReplyList) != (err == nil && key != "") {
			t.Errorf("%s: result key %q: want a JSON-quoted key exactly for ReplyList", name, ty.ResultKey)
		}
		if ty.Reply == ReplyList && ty.Tokens {
			t.Errorf("%s: answers with a list yet produces tokens", name)
		}
	}
}

func TestLookup(t *testing.T) {
	for _, c := range []struct {
		name string
		ok   bool
		path string
	}{
		{"chat", true, "/v1/chat/completions"},
		{"hf_tei_rankings", true, "/rerank"},
		{"huggingface_generate", true, "/generate"},
		{"Chat", false, ""},
		{"", false, ""},
		{"template", false, ""},
	} {
		got, ok := Lookup(c.name)
		if ok != c.ok || got.Path != c.path {
			t.Errorf("Lookup(%q) = %q, %v; want %q, %v", c.name, got.Path, ok, c.path, c.ok)
		}
	}
}

// The help names every type with its path, in the table's order, and says
// which never stream; the names list is the same names.
func TestHelpAndNames(t *testing.T) {
	help, names := Help(), Names()
	at := 0
	for _, ty := range All() {
		entry := ty.Name + " (" + ty.Path
		i := strings.Index(help[at:], entry)
		if i < 0 {
			t.Fatalf("help lacks %q after offset %d: %s", entry, at, help)
		}
		at += i + len(entry)
		rest, _, _ := strings.Cut(help[at:], ")") // the rest of this type's parentheses
		if never := strings.Contains(rest, "never streamed"); never == ty.Streams {
			t.Errorf("%s: help says never streamed = %v, table says streams = %v", ty.Name, never, ty.Streams)
		}
		if !strings.Contains(names, ty.Name) {
			t.Errorf("names lack %s: %s", ty.Name, names)
		}
	}
	if got, want := strings.Count(names, ", ")+1, len(All()); got != want {
		t.Errorf("names list %d types, the table %d: %s", got, want, names)
	}
	if !strings.Contains(help, "huggingface_generate (/generate, /generate_stream when streaming") {
		t.Errorf("help lacks TGI's streaming path: %s", help)
	}
}

// All returns a copy: a caller cannot change the table.
func TestAllIsACopy(t *testing.T) {
	all := All()
	all[0].Path = "/changed"
	if ty, _ := Lookup(all[0].Name); ty.Path == "/changed" {
		t.Fatal("All shares the table")
	}
}

// A type not built yet says why, and is never also a row of the table.
func TestNotYet(t *testing.T) {
	for name, why := range notYet {
		if _, ok := Lookup(name); ok || why == "" || strings.Contains(why, "\n") {
			t.Errorf("%s: in the table %v, reason %q", name, ok, why)
		}
	}
	if _, ok := NotYet("chat"); ok {
		t.Error("chat is not yet supported")
	}
}
