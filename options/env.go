package options

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
)

// EnvPrefix is the prefix of every environment variable.
const EnvPrefix = "AIPERF"

// LoadEnv fills each struct from its AIPERF_* variables. A bad value gives one
// line naming the variable. Call it after Register, so fields hold their defaults.
//
// Each field's `envconfig` tag holds the whole variable name (AIPERF_URL) and
// only that name is read: a bare URL in someone's shell never sets an option.
// Values are read by the flags' own rules, so a list takes the same comma list
// as its flag, or a JSON array as AIPerf's pydantic settings also accept.
func LoadEnv(ptrs ...any) error { return loadEnv(nil, ptrs...) }

// loadEnv is LoadEnv leaving out the flags in skip: those the command line
// gave, which win over the environment.
func loadEnv(skip map[string]bool, ptrs ...any) error {
	for _, p := range ptrs {
		fields := walk(p)
		for _, f := range fields { // a short tag would name a bare variable
			if want := EnvName(f.flag); f.env != want {
				return fmt.Errorf("option --%s: envconfig tag %q must be the whole name %q", f.flag, f.env, want)
			}
		}
		for _, f := range fields {
			raw, ok := os.LookupEnv(f.env)
			if !ok || skip[f.flag] {
				continue
			}
			if err := setFromEnv(f.value, raw, f.whole); err != nil {
				return fmt.Errorf("%s=%s: %v", f.env, clip.Quote(raw), err)
			}
		}
	}
	return nil
}

// setFromEnv sets one field from its variable's value; a list's value
// replaces the default. A whole-item list (`split:"no"`) takes a JSON array
// or one item.
func setFromEnv(v reflect.Value, raw string, whole bool) error {
	if v.Kind() != reflect.Slice {
		return setScalar(v, raw)
	}
	parts, err := EnvList(raw)
	if err != nil {
		return err
	}
	if whole && !strings.HasPrefix(strings.TrimSpace(raw), "[") {
		parts = []string{strings.TrimSpace(raw)}
	}
	return (&fieldValue{v: v}).add(parts)
}

// EnvList reads a list variable as AIPerf does: a JSON array (["a", "b"],
// [1, 2]) or a comma list split as the flag splits it (a JSON object stays
// whole). Array items that are not strings keep their JSON text.
func EnvList(raw string) ([]string, error) {
	s := strings.TrimSpace(raw)
	if !strings.HasPrefix(s, "[") {
		return splitList(s), nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal([]byte(s), &items); err != nil {
		return nil, fmt.Errorf("not a JSON array: %v", err)
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		var str string
		if json.Unmarshal(it, &str) == nil {
			out = append(out, str)
			continue
		}
		out = append(out, string(it))
	}
	return out, nil
}

// EnvSet names the flags whose AIPERF_* variable is set in the environment.
func EnvSet(ptrs ...any) map[string]bool {
	set := map[string]bool{}
	for _, p := range ptrs {
		for _, f := range walk(p) {
			if _, ok := os.LookupEnv(f.env); ok && f.env != "" {
				set[f.flag] = true
			}
		}
	}
	return set
}

// EnvNames lists the AIPERF_* variables of the structs ptrs point to.
func EnvNames(ptrs ...any) []string {
	var out []string
	for _, p := range ptrs {
		for _, f := range walk(p) {
			out = append(out, f.env)
		}
	}
	return out
}
