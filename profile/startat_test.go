package profile

import (
	"strings"
	"testing"
	"time"
)

func TestParseStartAt(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Time
		err  string
	}{
		{"2026-01-02T15:04:05Z", time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC), ""},
		{"2026-01-02T16:04:05.25+01:00", time.Date(2026, 1, 2, 15, 4, 5, 250e6, time.UTC), ""},
		{"1767366245", time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC), ""},
		{"1767366245.5", time.Date(2026, 1, 2, 15, 4, 5, 500e6, time.UTC), ""},
		{"START_AT", time.Time{}, "neither an RFC 3339 time"},
		{"2026-01-02 15:04:05", time.Time{}, "neither an RFC 3339 time"},
		{"1767366245000", time.Time{}, "not a plausible time"},
		{"-5", time.Time{}, "not a plausible time"},
		{"NaN", time.Time{}, "neither"},
	} {
		got, err := ParseStartAt(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: err %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || !got.Equal(c.want) {
			t.Errorf("%q: %v %v, want %v", c.in, got, err, c.want)
		}
	}
}
