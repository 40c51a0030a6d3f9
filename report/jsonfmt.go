package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// AIPerf writes JSON with pydantic, whose serializer formats floats like
// Rust's ryu (20.0, 85.26, 1.76e18, 1e-6) and keeps model field order. These
// helpers reproduce that with an ordered object type.

// pyFloat is a float64 that marshals as pydantic does.
type pyFloat float64

func (f pyFloat) MarshalJSON() ([]byte, error) { return []byte(ryu(float64(f))), nil }

// ryu formats v like serde_json: fixed notation for 1e-5 <= |v| < 1e16
// (always with a fraction), shortest exponent form otherwise; non-finite
// numbers become null as pydantic's default.
func ryu(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "null"
	}
	if v == 0 {
		if math.Signbit(v) {
			return "-0.0"
		}
		return "0.0"
	}
	e := strconv.FormatFloat(v, 'e', -1, 64)
	i := strings.IndexByte(e, 'e')
	exp, _ := strconv.Atoi(e[i+1:])
	if exp >= -5 && exp < 16 {
		s := strconv.FormatFloat(v, 'f', -1, 64)
		if !strings.ContainsRune(s, '.') {
			s += ".0"
		}
		return s
	}
	return e[:i] + "e" + strconv.Itoa(exp)
}

// pyTime formats t like pydantic formats a naive datetime
// (microseconds only when non-zero), in t's own location.
func pyTime(t time.Time) string {
	t = t.Round(time.Microsecond)
	if t.Nanosecond() == 0 {
		return t.Format("2006-01-02T15:04:05")
	}
	return t.Format("2006-01-02T15:04:05.000000")
}

// object is a JSON object that keeps its key order.
type object struct {
	keys []string
	vals []any
}

func (o *object) set(k string, v any) {
	o.keys = append(o.keys, k)
	o.vals = append(o.vals, v)
}

// has reports whether k is set.
func (o *object) has(k string) bool {
	for _, key := range o.keys {
		if key == k {
			return true
		}
	}
	return false
}

func (o *object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, err := marshal(k)
		if err != nil {
			return nil, err
		}
		b.Write(kb)
		b.WriteByte(':')
		vb, err := marshal(o.vals[i])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal is json.Marshal without HTML escaping (serde_json does not escape
// <, > or &).
// writeIndented writes v indented by two spaces, as AIPerf writes its JSON
// exports; what names the export in an error.
func writeIndented(w io.Writer, v any, what string) error {
	compact, err := marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", what, err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, compact, "", "  "); err != nil {
		return fmt.Errorf("indent %s: %w", what, err)
	}
	_, err = w.Write(out.Bytes())
	return err
}

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
