package main

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// --uuid-and-strip over loopback: the two lines of one session send the same
// image; the mock receives its bytes once, then vLLM's cached-image reference
// (an empty url with the uuid), and inputs.json shows both bodies so.
func TestUUIDAndStripReachesTheMock(t *testing.T) {
	dir := t.TempDir()
	img := filepath.Join(dir, "cat.png")
	f, err := os.Create(img)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, image.NewRGBA(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	f.Close()
	file := filepath.Join(dir, "session.jsonl")
	lines := `{"session_id":"s1","text":"what is this","images":["cat.png"],"image_uuids":["cat-1"]}` + "\n" +
		`{"session_id":"s1","text":"and now","images":["cat.png"],"image_uuids":["cat-1"]}` + "\n"
	if err := os.WriteFile(file, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, strip := range []bool{false, true} {
		args := []string{"--model", "m", "--input-file", file, "--request-count", "2", "--concurrency", "1"}
		if strip {
			args = append(args, "--uuid-and-strip")
		}
		_, truths, out := profileMockRecords(t, 2, args...)
		second := "png 2x2"
		if strip {
			second = "uuid cat-1"
		}
		if got := truths[0].Images[0] + "," + truths[1].Images[0]; got != "png 2x2,"+second {
			t.Errorf("strip %v: the mock received images %q, want png 2x2 then %s", strip, got, second)
		}
		inputs := testkit.ReadFile(t, filepath.Join(out, "inputs.json"))
		compact := strings.Join(strings.Fields(string(inputs)), "")
		if n := strings.Count(compact, `"uuid":"cat-1"`); n != 2 {
			t.Errorf("strip %v: inputs.json has %d image uuids, want 2", strip, n)
		}
		if got := strings.Contains(compact, `{"type":"image_url","image_url":{"url":""},"uuid":"cat-1"}`); got != strip {
			t.Errorf("strip %v: inputs.json has the stripped part: %v", strip, got)
		}
		// input_config dumps the flag under endpoint when set, as AIPerf's EndpointConfig.
		if got, set := inputConfigAt(t, out, "endpoint")["uuid_and_strip"]; set != strip || strip && got != true {
			t.Errorf("strip %v: input_config.endpoint.uuid_and_strip = %v (set %v)", strip, got, set)
		}
	}
}
