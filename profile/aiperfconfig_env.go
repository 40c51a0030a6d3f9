package profile

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
)

// envRef is AIPerf's ${VAR} or ${VAR:default} in a config file's strings
// (src/aiperf/config/loader/env_vars.py): no escape, an empty default counts.
var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}`)

// substituteEnv replaces ${VAR} in every string value of doc, in place, as
// AIPerf does before it reads the file; a variable that is unset and has no
// default is an error naming it. Jinja's {{ }} is not done here.
func substituteEnv(doc any) error {
	var err error
	expand := func(s string) string {
		return envRef.ReplaceAllStringFunc(s, func(ref string) string {
			m := envRef.FindStringSubmatch(ref)
			if v, ok := os.LookupEnv(m[1]); ok {
				return v
			}
			if strings.Contains(ref, ":") {
				return m[2]
			}
			if err == nil {
				err = fmt.Errorf("environment variable %s is not set and has no default (${%s:default})", m[1], m[1])
			}
			return ref
		})
	}
	var walk func(v any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case string:
			if strings.Contains(x, "{{") {
				if err == nil {
					err = fmt.Errorf("%s: {{ }} templating is not done here (${VAR} is)", clip.Quote(x))
				}
				return x
			}
			return expand(x)
		case map[string]any:
			for k, e := range x {
				x[k] = walk(e)
			}
		case []any:
			for i, e := range x {
				x[i] = walk(e)
			}
		}
		return v
	}
	walk(doc)
	return err
}
