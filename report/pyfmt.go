package report

import (
	"math"
	"strconv"
	"strings"
)

// Python's number formats, which AIPerf's files and console use.

// comma2 formats v like Python's f"{v:,.2f}" (e.g. 17,055.13).
func comma2(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if len(intPart) <= 3 || math.IsInf(v, 0) || math.IsNaN(v) {
		return sign + s
	}
	var b strings.Builder
	lead := len(intPart) % 3
	if lead > 0 {
		b.WriteString(intPart[:lead])
	}
	for i := lead; i < len(intPart); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(intPart[i : i+3])
	}
	return sign + b.String() + "." + frac
}

// pyRepr formats v like Python's repr(float), which pydantic uses in JSON:
// the shortest round-trip digits, ".0" on whole numbers, and exponent form
// below 1e-4 or from 1e16 up.
func pyRepr(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "Infinity"
	case math.IsInf(v, -1):
		return "-Infinity"
	case v == 0:
		if math.Signbit(v) {
			return "-0.0"
		}
		return "0.0"
	}
	exp := int(math.Floor(math.Log10(math.Abs(v))))
	// Log10 can be off by one near powers of ten; the 'e' form tells the truth.
	e := strconv.FormatFloat(v, 'e', -1, 64)
	if i := strings.IndexByte(e, 'e'); i >= 0 {
		exp, _ = strconv.Atoi(e[i+1:])
	}
	if exp < -4 || exp >= 16 {
		return e // Go's shortest 'e' form matches Python's: 1e-05, 1.76e+18
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.ContainsRune(s, '.') {
		s += ".0"
	}
	return s
}
