package options

import (
	"sort"
	"strings"
)

// UnknownEnv returns, sorted, the AIPERF_* variables of environ (as
// os.Environ gives it) that name no setting of the structs ptrs point to. A
// typo such as AIPERF_CONCURENCY is otherwise silently ignored.
func UnknownEnv(environ []string, ptrs ...any) []string {
	known := map[string]bool{}
	for _, name := range EnvNames(ptrs...) {
		known[name] = true
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
