package options

import (
	"errors"
	"flag"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// numberCase is one value a numeric setting is given, and whether it must be
// accepted (every other one must be refused, naming the setting).
type numberCase struct {
	value string
	ok    bool
}

// numberCases lists the values tried on the numeric field f: NaN and the
// infinities, a negative number, and for a duration one that overflows and one
// that rounds to 0 ns.
func numberCases(f field) []numberCase {
	kind := f.value.Kind()
	if kind == reflect.Slice {
		kind = f.value.Type().Elem().Kind()
	}
	var cases []numberCase
	switch kind {
	case reflect.Float64:
		cases = append(cases, numberCase{"NaN", false}, numberCase{"Inf", infinite[f.flag]}, numberCase{"-Inf", false})
		if _, ok := durations[f.flag]; ok {
			cases = append(cases, numberCase{"1e300", false}, numberCase{"1e-300", false})
		}
	case reflect.Int, reflect.Int64:
		if _, ok := durations[f.flag]; ok {
			cases = append(cases, numberCase{"9223372036854775807", false})
		}
	default:
		return nil
	}
	if b, ok := upper[f.flag]; ok { // its bound taken, one above it refused
		cases = append(cases, numberCase{strconv.FormatFloat(b.most, 'f', -1, 64), true}, numberCase{strconv.FormatFloat(b.most+1, 'f', -1, 64), false})
	}
	return append(cases, numberCase{"-1", signed[f.flag]})
}

// settingStructs are fresh copies of every struct of settings.
func settingStructs() []any { return []any{&Options{}, &Profile{}, &Serve{}, &Mock{}} }

// check validates ptr as its command does: Options fully, the others' numbers.
func check(ptr any) error {
	if o, ok := ptr.(*Options); ok {
		o.Models = []string{"m"}
		return o.Validate()
	}
	return CheckNumbers(ptr)
}

// Every numeric setting, found by walking the structs (so a new one is covered
// without being listed), refuses NaN, infinities, negatives and durations that
// overflow or round to zero, given as a flag, as its AIPERF_* variable or as a
// scenario file key; the error names the setting.
func TestNumbersAreValidated(t *testing.T) {
	ways := map[string]func(t *testing.T, ptr any, f field, value string) error{
		"flag": func(t *testing.T, ptr any, f field, value string) error {
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			_, err := Parse(fs, []string{"--" + f.flag + "=" + value}, ptr)
			return err
		},
		"env": func(t *testing.T, ptr any, f field, value string) error {
			t.Setenv(f.env, value)
			_, err := Parse(flag.NewFlagSet("t", flag.ContinueOnError), nil, ptr)
			return err
		},
		"scenario": func(t *testing.T, ptr any, f field, value string) error {
			if err := Register(flag.NewFlagSet("t", flag.ContinueOnError), ptr); err != nil {
				t.Fatal(err)
			}
			s, ok := Lookup(ptr, f.flag)
			if !ok {
				t.Fatalf("Lookup(%q) found nothing", f.flag)
			}
			return s.Set(value)
		},
	}
	tried := 0
	for _, proto := range settingStructs() {
		for _, f := range walk(proto) {
			for _, c := range numberCases(f) {
				for way, set := range ways {
					t.Run(f.flag+"="+c.value+"/"+way, func(t *testing.T) {
						ptr := reflect.New(reflect.TypeOf(proto).Elem()).Interface()
						if err := set(t, ptr, f, c.value); err != nil {
							t.Fatalf("setting it: %v", err)
						}
						err := check(ptr)
						var oe *Error
						switch {
						case c.ok && err != nil:
							t.Errorf("refused: %v", err)
						case !c.ok && (!errors.As(err, &oe) || oe.Flag != f.flag):
							t.Errorf("error %v, want one naming --%s", err, f.flag)
						case err != nil && strings.Contains(err.Error(), "\n"):
							t.Errorf("error is not one line: %q", err)
						}
					})
					tried++
				}
			}
		}
	}
	if tried < 100 {
		t.Fatalf("only %d cases: the walk found too few numeric settings", tried)
	}
}

// A setting whose help speaks of seconds or ms is a duration, so its overflow
// and rounding to zero are checked: a new one must be listed in durations.
func TestDurationSettingsAreListed(t *testing.T) {
	unit := regexp.MustCompile(`\b(seconds|ms)\b`)
	for _, p := range settingStructs() {
		for _, f := range walk(p) {
			if _, ok := durations[f.flag]; unit.MatchString(f.desc) && !ok {
				t.Errorf("--%s (%q) is not in durations", f.flag, f.desc)
			}
		}
	}
}

// Limits that are not about one number's kind, and the sign rules' exceptions.
func TestNumberLimits(t *testing.T) {
	checkValidate(t, []string{"-m", "x"}, strings.Contains, []argsCase{
		{[]string{"--request-rate", "1e-300"}, "--request-rate"},
		{[]string{"--request-rate", "1e300"}, "--request-rate"},
		{[]string{"--request-rate", "0.001"}, ""},
		{[]string{"--request-timeout-seconds", "1e-10"}, "rounds to 0 ns"},
		{[]string{"--benchmark-duration", "1e300"}, "too long"},
		{[]string{"--benchmark-duration", "5", "--benchmark-grace-period", "inf"}, ""},
		{[]string{"--random-seed", "-7"}, ""},
		{[]string{"--audio-sample-rates", "1e-300"}, "--audio-sample-rates"},
		{[]string{"--audio-sample-rates", "1e300"}, "--audio-sample-rates"},
		{[]string{"--audio-sample-rates", "44.1,0.008"}, ""},
		{[]string{"--audio-length-stddev", "NaN"}, "--audio-length-stddev (AIPERF_AUDIO_LENGTH_STDDEV): NaN is not a number"},
	})
}
