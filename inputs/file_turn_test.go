package inputs

import (
	"math"
	"testing"
	"time"
)

// checkTime names the field's own unit and the value as the file gives it.
func TestCheckTime(t *testing.T) {
	for _, c := range []struct {
		v    float64
		unit time.Duration
		want string
	}{
		{0, time.Millisecond, ""},
		{9223372036854, time.Millisecond, ""},
		{9223372036, time.Second, ""},
		{-1, time.Millisecond, "delay must be between 0 and 9223372036854 ms (2^63 ns), got -1"},
		{1e300, time.Millisecond, "delay must be between 0 and 9223372036854 ms (2^63 ns), got 1e+300"},
		{9223372037, time.Second, "delay must be between 0 and 9223372036 s (2^63 ns), got 9.223372037e+09"},
		{math.NaN(), time.Second, "delay must be between 0 and 9223372036 s (2^63 ns), got NaN"},
	} {
		got := ""
		if err := checkTime("delay", c.v, c.unit); err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("checkTime(%g %v) = %q, want %q", c.v, c.unit, got, c.want)
		}
	}
}
