package options

import (
	"reflect"
	"strings"
)

// field is one tagged setting of an options struct, as its tags describe it.
// walk is the only reader of option tags: flags, AIPERF_* variables, scenario
// keys and "was it set" all come from here (envconfig reads its own tags).
type field struct {
	flag    string   // `flag`: the flag name and scenario key
	aliases []string // `alias`: other flag names (AIPerf's older spellings)
	env     string   // `envconfig`: the whole AIPERF_* variable name
	def     string   // `default`
	hasDef  bool
	desc    string        // `desc`: the help text
	whole   bool          // `split:"no"`: a list whose items hold commas, one item per flag
	value   reflect.Value // the field itself, settable
}

// walk lists the tagged fields of the struct ptr points to, in order.
func walk(ptr any) []field {
	v := reflect.ValueOf(ptr).Elem()
	t := v.Type()
	var out []field
	for i := 0; i < t.NumField(); i++ {
		tag := t.Field(i).Tag
		name := tag.Get("flag")
		if name == "" || name == "-" {
			continue
		}
		f := field{flag: name, env: tag.Get("envconfig"), desc: ExpandDesc(tag.Get("desc")), value: v.Field(i)}
		f.def, f.hasDef = tag.Lookup("default")
		f.whole = tag.Get("split") == "no"
		for _, a := range strings.Split(tag.Get("alias"), ",") {
			if a != "" {
				f.aliases = append(f.aliases, a)
			}
		}
		out = append(out, f)
	}
	return out
}

// FlagNames lists the flag names of the struct ptr points to, aliases left out.
func FlagNames(ptr any) []string {
	var out []string
	for _, f := range walk(ptr) {
		out = append(out, f.flag)
	}
	return out
}
