package mockserver

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// Streams held before their first token at once are counted: three sent
// together while the first token is 2 s away are three; sent one after
// another they never are more than one.
func TestMaxInPrefill(t *testing.T) {
	for _, tc := range []struct {
		name     string
		together bool
		want     int
	}{{"together", true, 3}, {"one after another", false, 1}} {
		t.Run(tc.name, func(t *testing.T) {
			r := start(t, Config{TTFT: 2 * time.Second, OutputTokens: 2})
			var wg sync.WaitGroup
			for i := range 3 {
				send := func() {
					post(t, r.URL+"/v1/chat/completions", fmt.Sprint("r", i), chatBody("hello", true, nil))
				}
				if !tc.together {
					send()
					continue
				}
				wg.Add(1)
				go func() { defer wg.Done(); send() }()
			}
			wg.Wait()
			if got := r.Server.MaxInPrefill(); got != tc.want {
				t.Errorf("MaxInPrefill %d, want %d", got, tc.want)
			}
		})
	}
}
