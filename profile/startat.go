package profile

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
)

// ParseStartAt reads --start-at: an RFC 3339 time (2026-01-02T15:04:05Z,
// fractions and offsets allowed) or Unix seconds (1767366245.5).
func ParseStartAt(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return time.Time{}, fmt.Errorf("%s is neither an RFC 3339 time (2026-01-02T15:04:05Z) nor Unix seconds", clip.Quote(s))
	}
	if x <= 0 || x > 1e11 { // 1e11 s is the year 5138: a typo, or milliseconds
		return time.Time{}, fmt.Errorf("%s is not a plausible time in Unix seconds", clip.Quote(s))
	}
	sec, frac := math.Modf(x)
	return time.Unix(int64(sec), int64(math.Round(frac*1e9))), nil
}
