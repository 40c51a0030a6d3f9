package inputs

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeLines writes an input file of the given lines into a temporary directory.
func writeLines(t *testing.T, lines ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// imagePart is an image_url part as the body carries it, keys in order.
type imagePart struct {
	URL  string
	UUID *string
}

// imageParts reads the image_url parts of a chat body's last message, and
// checks each is exactly AIPerf's shape: type, image_url {url}, then uuid.
func imageParts(t *testing.T, b Body) []imagePart {
	t.Helper()
	var out []imagePart
	for _, raw := range rawParts(t, b) {
		var p struct {
			Type     string
			ImageURL map[string]string `json:"image_url"`
			UUID     *string
		}
		if err := json.Unmarshal(raw, &p); err != nil || p.Type != "image_url" {
			continue
		}
		want := `{"type":"image_url","image_url":{"url":` + jsonString(p.ImageURL["url"]) + `}`
		if p.UUID != nil {
			want += `,"uuid":` + jsonString(*p.UUID)
		}
		if string(raw) != want+"}" || len(p.ImageURL) != 1 {
			t.Fatalf("image part %s, want AIPerf's %s}", raw, want)
		}
		out = append(out, imagePart{p.ImageURL["url"], p.UUID})
	}
	return out
}

func rawParts(t *testing.T, b Body) []json.RawMessage {
	t.Helper()
	c := decode(t, b)
	var ps []json.RawMessage
	if err := json.Unmarshal(c.Messages[len(c.Messages)-1].Content, &ps); err != nil {
		t.Fatalf("content is not a list of parts: %s", b.Bytes())
	}
	return ps
}

func jsonString(s string) string { b, _ := json.Marshal(s); return string(b) }

func id(s string) *string { return &s }

// The lines of one session_id form one conversation, each line sent on its
// own; image uuids given in the file are sent whether or not
// --uuid-and-strip is on; with it, an image a session sent before goes by
// its uuid only (a repeat within one line, another session, or a line with
// no session_id keeps its bytes).
func TestSingleTurnSessionsAndImageUUIDs(t *testing.T) {
	const a, b, c = "http://127.0.0.1/a.png", "http://127.0.0.1/b.png", "http://127.0.0.1/c.png"
	file := writeLines(t,
		`{"session_id":"s1","text":"one","images":["`+a+`","`+a+`"],"image_uuids":["ua","ua"]}`,
		`{"text":"alone","images":["`+a+`"],"image_uuids":["ua"]}`,
		`{"session_id":"s2","text":"other","images":["`+a+`"],"image_uuids":["ua"]}`,
		`{"session_id":"s1","text":"two","images":["`+a+`","`+b+`"],"image_uuids":["ua","ub"]}`,
		`{"session_id":"s1","text":"three","image_uuids":["ub","uc"]}`,
		`{"session_id":"s1","text":"four","images":[{"name":"x","contents":["`+c+`","`+b+`"],"uuids":["uc","ub"]}]}`,
	)
	sent := func(d *Dataset, conv, turn int) []imagePart {
		return imageParts(t, d.Conversations[conv].Turns[turn].Body)
	}
	for _, strip := range []bool{false, true} {
		args := []string{}
		if strip {
			args = append(args, "--uuid-and-strip")
		}
		d := loadArgs(t, file, "single_turn", args...)
		var ids []string
		for _, c := range d.Conversations {
			ids = append(ids, c.ID)
		}
		if len(ids) != 3 || ids[0] != "s1" || ids[2] != "s2" || !uuidRE.MatchString(ids[1]) || len(d.Conversations[0].Turns) != 4 {
			t.Fatalf("strip %v: conversations %v, s1 has %d turns", strip, ids, len(d.Conversations[0].Turns))
		}
		for i, tr := range d.Conversations[0].Turns {
			if n := len(decode(t, tr.Body).Messages); n != 1 {
				t.Fatalf("s1 turn %d sends %d messages, want its own line alone", i+1, n)
			}
		}
		want := [][]imagePart{
			{{a, id("ua")}, {a, id("ua")}},
			{{a, id("ua")}, {b, id("ub")}},
			{{"", id("ub")}, {"", id("uc")}}, // cache-only references as the file gives them
			{{c, id("uc")}, {b, id("ub")}},
		}
		if strip {
			want[1] = []imagePart{{"", id("ua")}, {b, id("ub")}}
			want[3] = []imagePart{{c, id("uc")}, {"", id("ub")}} // uc was never sent with bytes
		}
		for turn := range want {
			if got := sent(d, 0, turn); !reflect.DeepEqual(got, want[turn]) {
				t.Errorf("strip %v: s1 turn %d sends %s, want %s", strip, turn+1, show(got), show(want[turn]))
			}
		}
		for _, conv := range []int{1, 2} {
			if got := sent(d, conv, 0); !reflect.DeepEqual(got, []imagePart{{a, id("ua")}}) {
				t.Errorf("strip %v: conversation %d sends %s, want the image whole", strip, conv+1, show(got))
			}
		}
		if n := d.Conversations[0].Turns[2].Images; n != 2 {
			t.Errorf("cache-only references count %d images, want 2 (AIPerf counts image_url parts)", n)
		}
	}
	// Without uuids nothing changes: no uuid key.
	d := loadArgs(t, writeLines(t, `{"session_id":"s","image":"`+a+`"}`, `{"session_id":"s","image":"`+a+`"}`), "", "--uuid-and-strip")
	if got := imageParts(t, d.Conversations[0].Turns[1].Body); !reflect.DeepEqual(got, []imagePart{{a, nil}}) {
		t.Errorf("an image without uuid: %s", show(got))
	}
}

func show(ps []imagePart) string {
	var s []string
	for _, p := range ps {
		u := "-"
		if p.UUID != nil {
			u = *p.UUID
		}
		s = append(s, p.URL+"#"+u)
	}
	return "[" + strings.Join(s, " ") + "]"
}

// Image uuids AIPerf's SingleTurn model refuses are refused, naming the line.
func TestImageUUIDErrors(t *testing.T) {
	const a = "http://127.0.0.1/a.png"
	cases := []struct{ kind, line, want string }{
		{"single_turn", `{"image":"` + a + `","image_uuids":["u"]}`, "image_uuids cannot be used with the singular image field"},
		{"single_turn", `{"images":["` + a + `"],"image_uuids":["u","v"]}`, "image_uuids has 2 entries, images 1"},
		{"single_turn", `{"images":["` + a + `"],"image_uuids":[""]}`, "image_uuids must not contain empty strings"},
		{"single_turn", `{"images":[{"name":"n","contents":["` + a + `"]}],"image_uuids":["u"]}`, "image_uuids cannot be set when images are objects"},
		{"single_turn", `{"images":[{"name":"n","contents":["` + a + `"],"uuids":["u","v"]}]}`, "2 uuids for 1 contents"},
		{"single_turn", `{"texts":[{"name":"n","contents":["hi"],"uuids":["u"]}]}`, "texts: uuids are for images only"},
		{"random_pool", `{"text":"hi","session_id":"s"}`, "random_pool entries have no session_id or image_uuids"},
		{"random_pool", `{"images":[{"name":"n","contents":["` + a + `"],"uuids":["u"]}]}`, "random_pool entries have no uuids"},
	}
	for _, c := range cases {
		for _, strip := range []string{"", "--uuid-and-strip"} {
			lines := []string{c.line}
			if c.kind == "single_turn" { // a good line first: the error names the bad one
				lines = []string{`{"text":"fine","session_id":"s"}`, c.line}
			}
			args := []string{"-m", "x", "--input-file", writeLines(t, lines...), "--custom-dataset-type", c.kind}
			if strip != "" {
				args = append(args, strip)
			}
			err := buildErr(t, args...)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "in.jsonl:") || strings.Contains(err.Error(), "\n") {
				t.Errorf("%s %s %s: error %v, want one line naming the line and %q", c.kind, strip, c.line, err, c.want)
			}
		}
	}
}

// --uuid-and-strip with a multi_turn file is refused as AIPerf refuses it.
func TestUUIDAndStripRefusesMultiTurn(t *testing.T) {
	file := writeLines(t, `{"session_id":"s","turns":[{"text":"hi"}]}`)
	wantFlagError(t, "uuid-and-strip", "multi_turn", "-m", "x", "--input-file", file, "--uuid-and-strip")
	if err := buildErr(t, "-m", "x", "--input-file", file); err != nil {
		t.Fatalf("without the flag: %v", err)
	}
}

// Image uuids are the chat endpoint's (vLLM's multimodal cache): on another
// endpoint a cache-only image would go out empty, so the line is refused.
func TestImageUUIDsOnOtherEndpoints(t *testing.T) {
	file := writeLines(t, `{"text":"hi","image_uuids":["u"]}`)
	for _, ep := range []string{"responses", "anthropic_messages", "nim_embeddings"} {
		wantBuildError(t, "image_uuids go to vLLM's multimodal cache on the chat endpoint only, not "+ep, "-m", "x", "--input-file", file, "--endpoint-type", ep)
	}
	if err := buildErr(t, "-m", "x", "--input-file", file); err != nil {
		t.Errorf("chat: %v", err)
	}
}
