package inputs

import (
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// A long value of the user's (a key, a media entry, an agent id) is cut in
// the error that names it: one readable line, never the whole value.
func TestLongUserValuesAreCutInErrors(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("k", 5000)
	// A file name near the file system's limit, holding no media.
	named := testkit.WriteFile(t, dir, strings.Repeat("n", 250), "not media")
	weka := func(request string) string {
		return `{"id":"x","models":[],"block_size":4,"hash_id_scope":"local","requests":[` + request + `]}`
	}
	cases := []struct {
		name, kind, file, data, want string
	}{
		{"unknown key", "single_turn", "a.jsonl", `{"text": "a", "` + long + `": 1}` + "\n", `unknown field "kkk`},
		{"missing audio", "single_turn", "a.jsonl", `{"text": "a", "audio": "` + long + `.wav"}` + "\n", "audio kkk"},
		{"missing image", "single_turn", "a.jsonl", `{"text": "a", "image": "` + long + `.png"}` + "\n", "image kkk"},
		{"missing video", "single_turn", "a.jsonl", `{"text": "a", "video": "` + long + `.webm"}` + "\n", "video kkk"},
		{"no image", "single_turn", "a.jsonl", `{"text": "a", "image": "` + named + `"}` + "\n", "unsupported image"},
		{"no audio", "single_turn", "a.jsonl", `{"text": "a", "audio": "` + named + `"}` + "\n", "unsupported audio"},
		{"weka unknown key", TypeWeka, "w.json", `{"id":"x","` + long + `":1}`, `unknown field "kkk`},
		{"weka agent id", TypeWeka, "w.json", weka(`{"t":0,"type":"subagent","agent_id":"` + long + `"}`), "is a subagent (kkk"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := testkit.WriteFile(t, t.TempDir(), c.file, c.data)
			err := buildErr(t, "-m", "x", "--input-file", path, "--custom-dataset-type", c.kind)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), " bytes)") {
				t.Fatalf("got %.300v, want %q cut with its length", err, c.want)
			}
			if len(err.Error()) > len(path)+400 {
				t.Fatalf("error of %d bytes: %.300s", len(err.Error()), err)
			}
		})
	}
}
