package options

import (
	"flag"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
)

// Register adds a flag (and its aliases) for every tagged field of the struct
// that ptr points to, after setting each field to its default. A field without
// a default tag keeps the value it holds, which becomes its default.
func Register(fs *flag.FlagSet, ptr any) error { return RegisterTrimmed(fs, ptr, "") }

// RegisterTrimmed is Register with prefix cut from every flag name: the
// `mock-server` command takes options.Mock's --mock.ttft as --ttft.
func RegisterTrimmed(fs *flag.FlagSet, ptr any, prefix string) error {
	for _, f := range walk(ptr) {
		name := strings.TrimPrefix(f.flag, prefix)
		val := &fieldValue{v: f.value, whole: f.whole}
		if f.hasDef {
			if err := val.Set(f.def); err != nil {
				return fmt.Errorf("default of --%s: %w", f.flag, err)
			}
			val.set = false
		}
		fs.Var(val, name, f.desc)
		for _, a := range f.aliases {
			fs.Var(val, a, aliasPrefix+name)
		}
	}
	return nil
}

// Setting is one setting found by its flag name, to be set from a scenario file.
type Setting struct {
	Name string // the flag name, whichever alias found it
	val  *fieldValue
}

// Lookup finds the setting of the struct ptr points to whose flag name or
// alias is key.
func Lookup(ptr any, key string) (Setting, bool) {
	for _, f := range walk(ptr) {
		if f.flag == key || slices.Contains(f.aliases, key) {
			return Setting{Name: f.flag, val: &fieldValue{v: f.value, whole: f.whole}}, true
		}
	}
	return Setting{}, false
}

// IsList tells whether the setting takes a list of values.
func (s Setting) IsList() bool { return s.val.v.Kind() == reflect.Slice }

// Set parses value with the flag's rules. The first value replaces a list's
// previous contents; later ones append, as repeated flags do.
func (s Setting) Set(value string) error { return s.val.Set(value) }

// fieldValue adapts a struct field to flag.Value. Lists accept repeated flags and
// comma-separated values; the first explicit value replaces the default.
type fieldValue struct {
	v     reflect.Value
	set   bool
	whole bool // each value is one item, commas and all (--variant "a: concurrency=8, isl=128")
}

func (f *fieldValue) String() string {
	if !f.v.IsValid() {
		return ""
	}
	if f.v.Kind() == reflect.Slice {
		parts := make([]string, f.v.Len())
		for i := range parts {
			parts[i] = fmt.Sprint(f.v.Index(i).Interface())
		}
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(f.v.Interface())
}

// IsBoolFlag lets `--streaming` stand alone.
func (f *fieldValue) IsBoolFlag() bool { return f.v.IsValid() && f.v.Kind() == reflect.Bool }

func (f *fieldValue) Set(s string) error {
	if f.v.Kind() != reflect.Slice {
		f.set = true
		return setScalar(f.v, s)
	}
	parts := splitList(s)
	if f.whole {
		parts = nil
		if s = strings.TrimSpace(s); s != "" {
			parts = []string{s}
		}
	}
	return f.add(parts)
}

// add appends a list's items, each parsed by the flags' rules; the first
// explicit value (a flag's first, or a variable's) replaces the default.
func (f *fieldValue) add(parts []string) error {
	if !f.set {
		f.v.Set(reflect.MakeSlice(f.v.Type(), 0, len(parts)))
	}
	f.set = true
	for _, part := range parts {
		elem := reflect.New(f.v.Type().Elem()).Elem()
		if err := setScalar(elem, part); err != nil {
			return err
		}
		f.v.Set(reflect.Append(f.v, elem))
	}
	return nil
}

// splitList splits on commas, except a JSON object which stays whole.
func splitList(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if strings.HasPrefix(s, "{") {
		return []string{s}
	}
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func setScalar(v reflect.Value, s string) error {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("%s is not true or false", clip.Quote(s))
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return fmt.Errorf("%s is not a whole number", clip.Quote(s))
		}
		v.SetInt(n)
	case reflect.Float64:
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("%s is not a number", clip.Quote(s))
		}
		v.SetFloat(x)
	default:
		return fmt.Errorf("unsupported option type %s", v.Type())
	}
	return nil
}

// EnvName is the AIPERF_* variable of a flag: upper snake case with the prefix.
func EnvName(flagName string) string {
	r := strings.NewReplacer("-", "_", ".", "_")
	return EnvPrefix + "_" + strings.ToUpper(r.Replace(flagName))
}
