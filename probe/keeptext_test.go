package probe

import (
	"testing"
	"time"
)

// --export-outputs-json: with KeepText each record carries the text the
// server streamed; without, none (records never keep text otherwise).
func TestKeepText(t *testing.T) {
	for _, keep := range []bool{false, true} {
		recs := runHandler(t, &fakeServer{}, Config{Streaming: true, Concurrency: 1, RequestCount: 2, Timeout: 10 * time.Second, KeepText: keep})
		for _, r := range recs {
			want := ""
			if keep {
				want = " w0 w1 w2 w3 w4"
			}
			if r.ResponseText != want {
				t.Errorf("KeepText %v: text %q, want %q", keep, r.ResponseText, want)
			}
		}
	}
}
