package probe

import (
	"bufio"
	"strings"
	"testing"
	"time"
)

// OpenAI's streamed image generation: each event with a b64_json (the
// partial images, then the completed one) is a response; the completed
// event ends the stream without [DONE] and its usage is kept alone (not the
// image beside it).
func TestImageGenerationEvents(t *testing.T) {
	img := strings.Repeat("iVBORw0KGgo", 50)
	body := "event: image_generation.partial_image\n" +
		`data: {"type":"image_generation.partial_image","b64_json":"` + img + `","partial_image_index":0}` + "\n\n" +
		"event: image_generation.partial_image\n" +
		`data: {"type":"image_generation.partial_image","b64_json":"` + img + `","partial_image_index":1}` + "\n\n" +
		"event: image_generation.completed\n" +
		`data: {"type":"image_generation.completed","b64_json":"` + img + `","usage":{"input_tokens":7,"output_tokens":16,"total_tokens":23}}` + "\n\n"
	s := &stream{results: `"data"`}
	s.reset(time.Now())
	if err := s.read(bufio.NewReader(strings.NewReader(body))); err != nil {
		t.Fatal(err)
	}
	if len(s.responses) != 3 || !s.done || s.err != nil {
		t.Fatalf("%d responses, done %v, error %v; want 3, true, none", len(s.responses), s.done, s.err)
	}
	u := parseUsage(s.usage)
	if u == nil || u.PromptTokens != 7 || u.CompletionTokens != 16 || strings.Contains(string(s.usage), img) {
		t.Fatalf("usage %+v from %q", u, s.usage)
	}
}

// Reading an image event allocates nothing once the buffers have grown.
func TestImageEventAllocatesNothing(t *testing.T) {
	line := []byte(`data: {"type":"image_generation.partial_image","b64_json":"` + strings.Repeat("QUJD", 256) + `","partial_image_index":0}` + "\n")
	if allocs := eventAllocs(&stream{results: `"data"`}, line); allocs != 0 {
		t.Fatalf("%v allocations per image event", allocs)
	}
}
