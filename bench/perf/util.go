//go:build linux

package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
)

// chatDataset is one conversation whose single turn asks for tokens output
// tokens, streamed or not.
func chatDataset(tokens int, stream bool) *inputs.Dataset {
	body := fmt.Sprintf(`{"model":"mock-model","messages":[{"role":"user","content":"Say a few words."}],"stream":%t,"max_tokens":%d}`, stream, tokens)
	return &inputs.Dataset{Conversations: []inputs.Conversation{{ID: "bench", Turns: []inputs.Turn{{
		Body: inputs.Body{[]byte(body)}, ContentType: inputs.ContentTypeJSON, Model: "mock-model", InputTokens: 4,
	}}}}}
}

// configureMock sets the mock server's latency and output length.
func configureMock(base string, ttft, itl time.Duration, tokens int) error {
	body := fmt.Sprintf(`{"ttft_ms":%g,"itl_ms":%g,"output_tokens":%d}`,
		float64(ttft)/float64(time.Millisecond), float64(itl)/float64(time.Millisecond), tokens)
	resp, err := http.Post(base+"/configure", "application/json", strings.NewReader(body))
	if err != nil {
		return fmt.Errorf("configure mock: %w", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("configure mock: %s: %s", resp.Status, bytes.TrimSpace(b))
	}
	return nil
}

// rssBytes is a process's resident set size (VmRSS), "self" for this one.
func rssBytes(pid string) (int64, error) {
	f, err := os.Open("/proc/" + pid + "/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%s/status", pid)
}

// quantile returns the q-quantile (nearest rank) of sorted values.
func quantile[T any](sorted []T, q float64) T {
	var zero T
	if len(sorted) == 0 {
		return zero
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// sortedDurations sorts d in place and returns it.
func sortedDurations(d []time.Duration) []time.Duration { slices.Sort(d); return d }

// us is a duration in microseconds.
func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
