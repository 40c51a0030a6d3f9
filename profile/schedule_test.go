package profile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
)

// The scheduling flags are checked before anything runs: each bad value or
// combination is an *options.Error (exit 2) naming its flag.
func TestScheduleFromRefuses(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(good, []byte(`{"points":[{"time_s":0,"qps":2},{"time_s":10,"qps":4}]}`), 0o644)
	os.WriteFile(bad, []byte(`[{"time_s":0,"qps":2}]`), 0o644)
	for _, tc := range []struct {
		name string
		o    options.Options
		p    options.Profile
		flag string // "" = accepted
		msg  string
	}{
		{"series", options.Options{}, options.Profile{RequestRateSeries: good}, "", ""},
		{"series and rate", options.Options{RequestRate: 3}, options.Profile{RequestRateSeries: good}, "request-rate-series", "--request-rate"},
		{"series and user-centric", options.Options{}, options.Profile{RequestRateSeries: good, UserCentricRate: 2, NumUsers: 2}, "request-rate-series", "--user-centric-rate"},
		{"series and fixed schedule", options.Options{FixedSchedule: true}, options.Profile{RequestRateSeries: good}, "request-rate-series", "--fixed-schedule"},
		{"series of one point", options.Options{}, options.Profile{RequestRateSeries: bad}, "request-rate-series", "at least two points"},
		{"users", options.Options{}, options.Profile{UserCentricRate: 2, NumUsers: 4}, "", ""},
		{"users and concurrency", options.Options{Concurrency: 2}, options.Profile{UserCentricRate: 2, NumUsers: 4}, "", ""},
		{"rate without users", options.Options{}, options.Profile{UserCentricRate: 2}, "user-centric-rate", "requires --num-users"},
		{"users without rate", options.Options{}, options.Profile{NumUsers: 4}, "num-users", "needs --user-centric-rate"},
		{"negative users", options.Options{}, options.Profile{UserCentricRate: 2, NumUsers: -1}, "num-users", "at least 1"},
		{"negative rate", options.Options{}, options.Profile{UserCentricRate: -2, NumUsers: 4}, "user-centric-rate", "> 0"},
		{"rate too high", options.Options{}, options.Profile{UserCentricRate: 2e9, NumUsers: 4}, "user-centric-rate", "too high"},
		{"gap too long", options.Options{}, options.Profile{UserCentricRate: 1e-9, NumUsers: 4}, "num-users", "beyond 100 years"},
		{"users and request rate", options.Options{RequestRate: 3}, options.Profile{UserCentricRate: 2, NumUsers: 4}, "user-centric-rate", "--request-rate"},
		{"users and fixed schedule", options.Options{FixedSchedule: true}, options.Profile{UserCentricRate: 2, NumUsers: 4}, "user-centric-rate", "--fixed-schedule"},
		{"prefill", options.Options{Streaming: true, Concurrency: 4}, options.Profile{PrefillConcurrency: 2, PrefillConcurrencyRampDuration: 3}, "", ""},
		{"prefill without concurrency", options.Options{Streaming: true}, options.Profile{PrefillConcurrency: 20}, "", ""},
		{"prefill without streaming", options.Options{Concurrency: 4}, options.Profile{PrefillConcurrency: 2}, "prefill-concurrency", "--streaming"},
		{"prefill above concurrency", options.Options{Streaming: true, Concurrency: 4}, options.Profile{PrefillConcurrency: 5}, "prefill-concurrency", "more than --concurrency 4"},
		{"negative prefill", options.Options{Streaming: true}, options.Profile{PrefillConcurrency: -1}, "prefill-concurrency", "at least 1"},
		{"prefill ramp alone", options.Options{Streaming: true}, options.Profile{PrefillConcurrencyRampDuration: 2}, "prefill-concurrency-ramp-duration", "needs --prefill-concurrency"},
		{"prefill ramp negative", options.Options{Streaming: true}, options.Profile{PrefillConcurrency: 1, PrefillConcurrencyRampDuration: -2}, "prefill-concurrency-ramp-duration", "> 0"},
		{"warmup prefill", options.Options{Streaming: true, Concurrency: 4}, options.Profile{WarmupPrefillConcurrency: 2, WarmupPrefillConcurrencyRampDuration: 1}, "", ""},
		{"warmup prefill ramp on the run's", options.Options{Streaming: true}, options.Profile{PrefillConcurrency: 2, WarmupPrefillConcurrencyRampDuration: 1}, "", ""},
		{"warmup prefill without streaming", options.Options{}, options.Profile{WarmupPrefillConcurrency: 2}, "warmup-prefill-concurrency", "--streaming"},
		{"warmup prefill above warmup concurrency", options.Options{Streaming: true, Concurrency: 8}, options.Profile{WarmupConcurrency: 2, WarmupPrefillConcurrency: 3}, "warmup-prefill-concurrency", "more than --warmup-concurrency 2"},
		{"warmup prefill ramp alone", options.Options{Streaming: true}, options.Profile{WarmupPrefillConcurrencyRampDuration: 1}, "warmup-prefill-concurrency-ramp-duration", "needs --prefill-concurrency"},
		{"series missing", options.Options{}, options.Profile{RequestRateSeries: filepath.Join(dir, "none.json")}, "request-rate-series", "cannot read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := scheduleFrom(&tc.o, &tc.p, nil)
			var oe *options.Error
			switch {
			case tc.flag == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.flag != "" && (!errors.As(err, &oe) || oe.Flag != tc.flag || !strings.Contains(oe.Msg, tc.msg)):
				t.Fatalf("got %v, want --%s refused with %q", err, tc.flag, tc.msg)
			}
		})
	}
}

// A series becomes the probe's RateSeries, and --concurrency (unset: 0) is
// the cap on requests in flight, not the closed loop of 1 a run without any
// load flag gets.
func TestScheduleApplySeries(t *testing.T) {
	s := schedule{series: []probe.RatePoint{{TimeS: 0, QPS: 2}, {TimeS: 1, QPS: 3}}}
	cfg := probe.Config{Concurrency: 1}
	s.apply(&cfg, &options.Options{})
	if len(cfg.RateSeries) != 2 || cfg.Concurrency != 0 {
		t.Errorf("RateSeries %v, Concurrency %d", cfg.RateSeries, cfg.Concurrency)
	}
}

// User-centric settings reach the probe with --concurrency as the cap on
// users sending at once (unset: 0, none), not a closed loop of 1.
func TestScheduleApplyUsers(t *testing.T) {
	s := schedule{users: probe.Users{Rate: 2, Count: 3}}
	cfg := probe.Config{Concurrency: 1}
	s.apply(&cfg, &options.Options{})
	if cfg.Users != (probe.Users{Rate: 2, Count: 3}) || cfg.Concurrency != 0 {
		t.Errorf("Users %+v, Concurrency %d", cfg.Users, cfg.Concurrency)
	}
}

// The prefill limits reach the probe: the run's, and the warmup's own.
func TestScheduleApplyPrefill(t *testing.T) {
	s, err := scheduleFrom(&options.Options{Streaming: true}, &options.Profile{PrefillConcurrency: 3, PrefillConcurrencyRampDuration: 2, WarmupPrefillConcurrency: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var cfg probe.Config
	s.apply(&cfg, &options.Options{})
	if cfg.Prefill != (probe.Prefill{Limit: 3, Ramp: 2 * time.Second}) || cfg.Warmup.Prefill != (probe.Prefill{Limit: 1}) {
		t.Errorf("Prefill %+v, warmup's %+v", cfg.Prefill, cfg.Warmup.Prefill)
	}
}
