package report

import "testing"

func TestComma2(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{
		{17055.125000001, "17,055.13"}, {0, "0.00"}, {20, "20.00"}, {999.999, "1,000.00"},
		{1234567.891, "1,234,567.89"}, {-1234.5, "-1,234.50"}, {0.005, "0.01"}, {0.125, "0.12"},
		{123, "123.00"}, {100000, "100,000.00"},
	} {
		if got := comma2(c.in); got != c.want {
			t.Errorf("comma2(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Expected strings are Python's repr() of the same doubles.
func TestPyRepr(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{
		{20, "20.0"}, {85.26, "85.26"}, {0.30000000000000004, "0.30000000000000004"}, {1e-05, "1e-05"},
		{0.0001, "0.0001"}, {1.76e18, "1.76e+18"}, {1e16, "1e+16"}, {9999999999999998, "9999999999999998.0"},
		{-2.5, "-2.5"}, {0, "0.0"}, {123456.789, "123456.789"}, {2.5e-7, "2.5e-07"},
	} {
		if got := pyRepr(c.in); got != c.want {
			t.Errorf("pyRepr(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}
