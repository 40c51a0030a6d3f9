package options

import (
	"math"
	"reflect"
	"time"
)

// signed are the numeric settings where a negative number has a meaning.
var signed = map[string]bool{"random-seed": true}

// infinite are the settings where +Inf has AIPerf's meaning: an infinite
// --benchmark-grace-period waits for every request in flight.
var infinite = map[string]bool{"benchmark-grace-period": true, "warmup-grace-period": true}

// durations are the settings that become a time.Duration, with their unit.
var durations = map[string]time.Duration{
	"request-timeout-seconds":           time.Second,
	"benchmark-duration":                time.Second,
	"warmup-duration":                   time.Second,
	"warmup-grace-period":               time.Second,
	"warmup-concurrency-ramp-duration":  time.Second,
	"warmup-request-rate-ramp-duration": time.Second,
	"benchmark-grace-period":            time.Second,
	"request-cancellation-delay":        time.Second,
	"audio-length-mean":                 time.Second,
	"audio-length-stddev":               time.Second,
	"fixed-schedule-start-offset":       time.Millisecond,
	"fixed-schedule-end-offset":         time.Millisecond,
	"probe.interval":                    time.Second,
	"shutdown.grace-period":             time.Second,
	"mock.ttft":                         time.Millisecond,
	"mock.itl":                          time.Millisecond,
	"server-metrics-interval":           time.Second,
	"wait-for-model-timeout":            time.Second,
	"wait-for-model-interval":           time.Second,
	"concurrency-ramp-duration":         time.Second,
	"request-rate-ramp-duration":        time.Second,
	"slice-duration":                    time.Second,
	"max-idle-gap-cap-seconds":          time.Second,
	"conversation-turn-delay-mean":      time.Millisecond,
	"conversation-turn-delay-stddev":    time.Millisecond,
	"reset-kv-cache-timeout-seconds":    time.Second,
	"server-profiler-timeout-seconds":   time.Second,
	"network-latency-mean":              time.Millisecond,
	"network-latency-ping-interval":     time.Second,
	"inter-turn-delay-cap-seconds":      time.Second,
	"trace-idle-gap-cap-seconds":        time.Second,
	"system-idle-gap-cap-seconds":       time.Second,
	"agentic-cache-warmup-duration":     time.Second,
	"agentic-warmup-grace-period":       time.Second,

	// between repeated or swept runs
	"profile-run-cooldown-seconds":     time.Second,
	"parameter-sweep-cooldown-seconds": time.Second,
	"sweep-step-seconds":               time.Second,

	// prefill concurrency ramps
	"prefill-concurrency-ramp-duration":        time.Second,
	"warmup-prefill-concurrency-ramp-duration": time.Second,
}

// maxDuration is the longest duration taken: time.Duration holds ~292 years,
// but a deadline of now + d must also stay a valid Unix time in nanoseconds
// (before 2262), so a century is the limit.
const maxDuration = 100 * 365 * 24 * time.Hour

// CheckNumbers refuses, in every numeric setting of the structs ptrs point to,
// a number that has no meaning there: NaN, an infinity, a negative number, a
// duration that overflows (beyond maxDuration) or so short it rounds to 0 ns. A new numeric setting is checked without being listed anywhere.
func CheckNumbers(ptrs ...any) error {
	for _, p := range ptrs {
		for _, f := range walk(p) {
			if err := checkValue(f.flag, f.value); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkValue(name string, v reflect.Value) error {
	switch v.Kind() {
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			if err := checkValue(name, v.Index(i)); err != nil {
				return err
			}
		}
	case reflect.Float64:
		return CheckNumber(name, v.Float())
	case reflect.Int, reflect.Int64:
		return CheckNumber(name, float64(v.Int()))
	}
	return nil
}

// CheckNumber applies CheckNumbers' rules to one value of the setting name.
func CheckNumber(name string, x float64) error {
	switch {
	case math.IsNaN(x):
		return bad(name, "NaN is not a number")
	case math.IsInf(x, 1) && infinite[name]:
		return nil
	case math.IsInf(x, 0):
		return bad(name, "must be a finite number, got %g", x)
	case x < 0 && !signed[name]:
		return bad(name, "must not be negative, got %g", x)
	}
	if err := checkUpper(name, x); err != nil {
		return err
	}
	unit, ok := durations[name]
	if !ok {
		return nil
	}
	ns := x * float64(unit)
	switch {
	case ns > float64(maxDuration):
		return bad(name, "%g is too long (at most %g, 100 years)", x, float64(maxDuration/unit))
	case x > 0 && ns < 1:
		return bad(name, "%g rounds to 0 ns", x)
	}
	return nil
}
