package options

import (
	"errors"
	"fmt"

	"github.com/kelseyhightower/envconfig"
)

// EnvPrefix is the prefix of every environment variable.
const EnvPrefix = "AIPERF"

// LoadEnv fills each struct from AIPERF_* variables. A bad value gives one line
// naming the variable.
func LoadEnv(ptrs ...any) error {
	for _, p := range ptrs {
		if err := envconfig.Process(EnvPrefix, p); err != nil {
			var pe *envconfig.ParseError
			if errors.As(err, &pe) {
				return fmt.Errorf("%s=%q: %v", pe.KeyName, pe.Value, pe.Err)
			}
			return fmt.Errorf("environment: %w", err)
		}
	}
	return nil
}
