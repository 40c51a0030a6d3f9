package options

import (
	"flag"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// Register adds a flag (and its aliases) for every tagged field of the struct
// that ptr points to, after setting each field to its default.
func Register(fs *flag.FlagSet, ptr any) error {
	v := reflect.ValueOf(ptr).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := f.Tag.Get("flag")
		if name == "" || name == "-" {
			continue
		}
		val := &fieldValue{v: v.Field(i)}
		if def, ok := f.Tag.Lookup("default"); ok {
			if err := val.Set(def); err != nil {
				return fmt.Errorf("default of --%s: %w", name, err)
			}
			val.set = false
		}
		fs.Var(val, name, f.Tag.Get("desc"))
		for _, a := range strings.Split(f.Tag.Get("alias"), ",") {
			if a != "" {
				fs.Var(val, a, aliasPrefix+name)
			}
		}
	}
	return nil
}

// fieldValue adapts a struct field to flag.Value. Lists accept repeated flags and
// comma-separated values; the first explicit value replaces the default.
type fieldValue struct {
	v   reflect.Value
	set bool
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
	if f.v.Kind() == reflect.Slice {
		if !f.set {
			f.v.Set(reflect.MakeSlice(f.v.Type(), 0, 1))
		}
		f.set = true
		for _, part := range splitList(s) {
			elem := reflect.New(f.v.Type().Elem()).Elem()
			if err := setScalar(elem, part); err != nil {
				return err
			}
			f.v.Set(reflect.Append(f.v, elem))
		}
		return nil
	}
	f.set = true
	return setScalar(f.v, s)
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
			return fmt.Errorf("%q is not true or false", s)
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", s)
		}
		v.SetInt(n)
	case reflect.Float64:
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("%q is not a number", s)
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
	return "AIPERF_" + strings.ToUpper(r.Replace(flagName))
}
