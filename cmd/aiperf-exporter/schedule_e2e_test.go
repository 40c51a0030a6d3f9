package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// AIPerf's scheduling flags run end to end against the embedded mock, and
// input_config names them as AIPerf's loadgen config does.
func TestProfileScheduleFlags(t *testing.T) {
	dir := t.TempDir()
	series := filepath.Join(dir, "rate.json")
	turns := filepath.Join(dir, "turns.jsonl")
	os.WriteFile(series, []byte(`{"points":[{"time_s":0,"qps":20},{"time_s":1,"qps":50}]}`), 0o644)
	os.WriteFile(turns, []byte(`{"session_id":"a","turns":[{"text":"hi"},{"text":"again","delay":60000}]}`+"\n"), 0o644)
	for _, tc := range []struct {
		name string
		args []string
		want map[string]any // input_config.loadgen entries; nil: absent
	}{
		{"rate series", []string{"--request-rate-series", series, "--request-count", "4"},
			map[string]any{"request_rate_series": series, "concurrency": nil}}, // no closed loop of one ran
		{"user-centric", []string{"--user-centric-rate", "20", "--num-users", "2", "--request-count", "4"},
			map[string]any{"user_centric_rate": 20.0, "num_users": 2.0, "concurrency": nil}},
		{"prefill", []string{"--concurrency", "4", "--prefill-concurrency", "2", "--prefill-concurrency-ramp-duration", "0.2",
			"--warmup-request-count", "2", "--warmup-prefill-concurrency", "1", "--request-count", "4"},
			map[string]any{"concurrency": 4.0, "prefill_concurrency": 2.0, "prefill_concurrency_ramp_duration": 0.2, "warmup_prefill_concurrency": 1.0}},
		// a 60 s turn delay, capped: the run ends in time
		{"delay cap", []string{"--input-file", turns, "--custom-dataset-type", "multi_turn", "--inter-turn-delay-cap-seconds", "0.1", "--request-count", "2"},
			map[string]any{"inter_turn_delay_cap_seconds": 0.1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, out := profileOK(t, append([]string{"--mock", "--model", "m", "--streaming", "--mock.output-tokens", "2"}, tc.args...)...)
			loadgen := inputConfigAt(t, out, "loadgen")
			for k, v := range tc.want {
				if loadgen[k] != v {
					t.Errorf("input_config.loadgen.%s = %v, want %v", k, loadgen[k], v)
				}
			}
		})
	}
}

// Bad scheduling settings exit 2 with one line naming the flag.
func TestProfileScheduleFlagsBadValues(t *testing.T) {
	dir := t.TempDir()
	onePoint := filepath.Join(dir, "one.json")
	os.WriteFile(onePoint, []byte(`[{"time_s":0,"qps":1}]`), 0o644)
	twoPoints := filepath.Join(dir, "two.json")
	os.WriteFile(twoPoints, []byte(`[{"time_s":0,"qps":1},{"time_s":1,"qps":2}]`), 0o644)
	trace := filepath.Join(dir, "trace.jsonl")
	os.WriteFile(trace, []byte(`{"timestamp":0,"input_length":8,"output_length":2}`+"\n"), 0o644)
	for _, args := range [][]string{
		{"--request-rate-series", onePoint},
		{"--request-rate-series", filepath.Join(dir, "absent.json")},
		{"--request-rate-series", onePoint, "--request-rate", "5"},
		{"--user-centric-rate", "5"},
		{"--num-users", "3"},
		{"--user-centric-rate", "-5", "--num-users", "3"},
		{"--prefill-concurrency", "2", "--concurrency", "4"}, // no --streaming
		{"--prefill-concurrency", "5", "--concurrency", "4", "--streaming"},
		{"--prefill-concurrency-ramp-duration", "2", "--streaming"},
		{"--warmup-prefill-concurrency", "-1", "--streaming"},
		{"--inter-turn-delay-cap-seconds", "2"}, // no --input-file
		{"--inter-turn-delay-cap-seconds", "-2"},
		{"--request-rate-series", twoPoints, "--input-file", trace}, // a trace goes at its timestamps
		{"--user-centric-rate", "5", "--num-users", "2", "--input-file", trace},
	} {
		code, _, errOut, _ := profileInDir(t, append([]string{"--mock", "--model", "m", "--request-count", "1"}, args...)...)
		if code != 2 || !strings.Contains(errOut, args[0]) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line naming the flag", args, code, errOut)
		}
	}
}
