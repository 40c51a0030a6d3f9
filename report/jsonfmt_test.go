package report

import (
	"testing"
	"time"
)

// Expected strings are what serde_json (pydantic's JSON writer) prints.
func TestRyu(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{
		{20, "20.0"}, {85.26, "85.26"}, {1.76e18, "1.76e18"}, {1760000000123456789, "1.7600000001234568e18"},
		{1e-5, "0.00001"}, {1e-6, "1e-6"}, {1e16, "1e16"}, {1234.5e20, "1.2345e23"},
		{9999999999999998, "9999999999999998.0"}, {-0.5, "-0.5"}, {0, "0.0"},
	} {
		if got := ryu(c.in); got != c.want {
			t.Errorf("ryu(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPyTime(t *testing.T) {
	base := time.Date(2025, 10, 10, 12, 34, 56, 0, time.UTC)
	if got := pyTime(base); got != "2025-10-10T12:34:56" {
		t.Error(got)
	}
	if got := pyTime(base.Add(123456789)); got != "2025-10-10T12:34:56.123457" {
		t.Error(got)
	}
}
