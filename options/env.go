package options

import (
	"errors"
	"fmt"
	"os"

	"github.com/kelseyhightower/envconfig"
)

// EnvPrefix is the prefix of every environment variable.
const EnvPrefix = "AIPERF"

// LoadEnv fills each struct from its AIPERF_* variables. A bad value gives one
// line naming the variable. Call it after Register, so fields hold their defaults.
//
// Each field's `envconfig` tag holds the whole variable name (AIPERF_URL), and
// envconfig runs with no prefix of its own: it then reads exactly that name.
// With a prefix and a short tag (URL) it would fall back to the bare URL, and a
// variable of that name in someone's shell must never set an option.
func LoadEnv(ptrs ...any) error {
	for _, p := range ptrs {
		for _, f := range walk(p) { // a short tag would make envconfig read a bare name
			if want := EnvName(f.flag); f.env != want {
				return fmt.Errorf("option --%s: envconfig tag %q must be the whole name %q", f.flag, f.env, want)
			}
		}
		if err := envconfig.Process("", p); err != nil {
			var pe *envconfig.ParseError
			if errors.As(err, &pe) {
				return fmt.Errorf("%s=%q: %v", pe.KeyName, pe.Value, pe.Err)
			}
			return fmt.Errorf("environment: %w", err)
		}
	}
	return nil
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
