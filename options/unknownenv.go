package options

import (
	"reflect"
	"sort"
	"strings"
)

// UnknownEnv returns, sorted, the AIPERF_* variables of environ (as
// os.Environ gives it) that name no setting: no field of the structs ptrs
// point to and none of extra (full names, such as AIPERF_MOCK_TTFT). A typo
// such as AIPERF_CONCURENCY is otherwise silently ignored.
func UnknownEnv(environ, extra []string, ptrs ...any) []string {
	known := map[string]bool{}
	for _, name := range extra {
		known[name] = true
	}
	for _, p := range ptrs {
		t := reflect.TypeOf(p).Elem()
		for i := 0; i < t.NumField(); i++ {
			if key := t.Field(i).Tag.Get("envconfig"); key != "" {
				known[EnvPrefix+"_"+key] = true
			}
		}
	}
	var out []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, EnvPrefix+"_") && !known[name] {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}
