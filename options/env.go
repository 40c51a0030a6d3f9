package options

import (
	"errors"
	"fmt"
	"os"
	"reflect"

	"github.com/kelseyhightower/envconfig"
)

// EnvPrefix is the prefix of every environment variable.
const EnvPrefix = "AIPERF"

// LoadEnv fills each struct from AIPERF_* variables. A bad value gives one line
// naming the variable. Call it after Register, so fields hold their defaults.
//
// envconfig falls back to the unprefixed name (URL, MODEL, API_KEY) when the
// AIPERF_ one is unset; a variable of that name in someone's shell must not
// set an option, so such fields get their value back after envconfig ran.
func LoadEnv(ptrs ...any) error {
	for _, p := range ptrs {
		kept := unprefixedOnly(p)
		err := envconfig.Process(EnvPrefix, p)
		for _, k := range kept {
			k.field.Set(k.value)
		}
		if err != nil {
			var pe *envconfig.ParseError
			if errors.As(err, &pe) {
				for _, k := range kept {
					if k.name == pe.FieldName {
						return fmt.Errorf("%s=%q: %v (read by envconfig in place of the unset %s; unset it)", k.key, pe.Value, pe.Err, pe.KeyName)
					}
				}
				return fmt.Errorf("%s=%q: %v", pe.KeyName, pe.Value, pe.Err)
			}
			return fmt.Errorf("environment: %w", err)
		}
	}
	return nil
}

// keptField is a field's value before envconfig ran.
type keptField struct {
	name, key string // Go field name, unprefixed variable
	field     reflect.Value
	value     reflect.Value
}

// unprefixedOnly lists the fields of the struct p points to whose AIPERF_
// variable is unset while the unprefixed one is set, with their values.
func unprefixedOnly(p any) []keptField {
	v := reflect.ValueOf(p).Elem()
	var out []keptField
	for i := 0; i < v.NumField(); i++ {
		key := v.Type().Field(i).Tag.Get("envconfig")
		if key == "" {
			continue
		}
		if _, ok := os.LookupEnv(EnvPrefix + "_" + key); ok {
			continue
		}
		if _, ok := os.LookupEnv(key); !ok {
			continue
		}
		saved := reflect.New(v.Field(i).Type()).Elem()
		saved.Set(v.Field(i))
		out = append(out, keptField{name: v.Type().Field(i).Name, key: key, field: v.Field(i), value: saved})
	}
	return out
}
