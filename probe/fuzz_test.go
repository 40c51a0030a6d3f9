package probe

import (
	"bufio"
	"bytes"
	"testing"
	"time"
)

// FuzzStream feeds arbitrary bytes to the SSE reader, in reads as small as
// bufio allows, and checks it never panics, stamps responses in order, gives a
// mid-stream error an HTTP error code, and reads the same bytes the same way
// when its buffers are reused (as a worker reuses them).
func FuzzStream(f *testing.F) {
	for _, seed := range []string{
		chunk(`{"role":"assistant","content":""}`) + chunk(`{"content":"Hello"}`) + "data: [DONE]\n\n",
		chunk(`{"reasoning_content":"r"}`) + chunk(`{"content":"a\"b\\c\n\u00e9\ud83d\ude00"}`) + "data: [DONE]\r\n\r\n",
		"data: {not json\n\n" + chunk(`{"content":"y"}`),
		`data: {"error":{"message":"overloaded","code":503}}` + "\n\n",
		"event: error\ndata: {\"error\":{\"code\":\"x\"}}\n\n",
		": comment\ndata: a\ndata: b\n\n" + "data:" + string(bytes.Repeat([]byte("z"), 100)) + "\n",
		`data: {"choices":[{"delta":{"content":"\ud800"}}],"usage":{"prompt_tokens":1}}`,
		"data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var s stream
		type result struct {
			n, skipped            int
			answer, reasoning     string
			done, finished, isErr bool
		}
		read := func() result {
			s.reset(time.Now())
			if err := s.read(bufio.NewReaderSize(bytes.NewReader(body), 16)); err != nil {
				t.Fatalf("reading from memory failed: %v", err)
			}
			for i := 1; i < len(s.responses); i++ {
				if s.responses[i].Offset < s.responses[i-1].Offset {
					t.Fatalf("response %d stamped before response %d", i, i-1)
				}
			}
			if s.err != nil && (s.err.Code < 400 || s.err.Code > 599) {
				t.Fatalf("mid-stream error code %d outside 400..599", s.err.Code)
			}
			if len(s.responses) > bytes.Count(body, []byte("\n"))+1 {
				t.Fatalf("%d responses from %d lines", len(s.responses), bytes.Count(body, []byte("\n"))+1)
			}
			return result{len(s.responses), s.skipped, string(s.answer), string(s.reasoning), s.done, s.finished, s.err != nil}
		}
		first := read()
		if again := read(); again != first {
			t.Fatalf("reused buffers read differently: %+v then %+v", first, again)
		}
		_ = parseUsage(s.usage) // must not panic on whatever was kept
	})
}
