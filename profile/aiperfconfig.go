package profile

import (
	"flag"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/aiperf-exporter/aiperf-exporter/internal/boundedfile"
	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// maxConfigFileBytes bounds an AIPerf YAML config file.
const maxConfigFileBytes = 16 << 20

// ApplyConfig reads AIPerf's YAML config file (--config, schema 2.0) and sets
// the flags its keys map to, each only where neither the command line nor an
// AIPERF_* variable set it (AIPerf layers flags over the file); set gains
// every flag it sets. A key this tool does not map is refused, naming its
// path: nothing in the file is silently dropped. Its errors are
// *options.Error for --config (exit 2).
func ApplyConfig(fs *flag.FlagSet, set map[string]bool, path string) error {
	fail := func(format string, a ...any) error {
		return &options.Error{Flag: "config", Msg: path + ": " + fmt.Sprintf(format, a...)}
	}
	b, err := boundedfile.Read(path, maxConfigFileBytes)
	if err != nil {
		return fail("%v", err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return fail("not YAML: %v", err)
	}
	c := &configFlags{values: map[string]string{}}
	if err := c.envelope(doc); err != nil {
		return fail("%v", err)
	}
	given := map[string]bool{} // on the command line, by canonical name
	fs.Visit(func(f *flag.Flag) {
		name, alias := strings.CutPrefix(f.Usage, "alias of --")
		if !alias {
			name = f.Name
		}
		given[name] = true
	})
	names := make([]string, 0, len(c.values))
	for name := range c.values {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if given[name] || set[name] {
			continue // the command line or the environment wins
		}
		if err := fs.Set(name, c.values[name]); err != nil {
			return fail("%s (--%s): %v", c.keys[name], name, err)
		}
		set[name] = true
	}
	return nil
}

// configFlags gathers flag values from the file, and the key each came from.
type configFlags struct {
	values map[string]string
	keys   map[string]string
}

func (c *configFlags) set(key, flagName string, v any) {
	if c.keys == nil {
		c.keys = map[string]string{}
	}
	c.values[flagName], c.keys[flagName] = scalar(v), key
}

// scalar is a YAML value as a flag value: lists joined by commas.
func scalar(v any) string {
	switch x := v.(type) {
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = scalar(e)
		}
		return strings.Join(parts, ",")
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}

// snake is AIPerf's snake_case spelling of a key it also takes in camelCase.
func snake(k string) string {
	var b strings.Builder
	for i, r := range k {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// fields walks a mapping's keys in order, calling fn with the snake_case key
// and its path; fn's error stops the walk.
func fields(path string, v any, fn func(key, at string, v any) error) error {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("%s: want a mapping", path)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		at := k
		if path != "" {
			at = path + "." + k
		}
		if err := fn(snake(k), at, m[k]); err != nil {
			return err
		}
	}
	return nil
}

func unknown(at string) error {
	return fmt.Errorf("unknown or unsupported key %s (README: --config)", at)
}

func (c *configFlags) envelope(doc map[string]any) error {
	if _, ok := doc["benchmark"]; !ok {
		return fmt.Errorf("no benchmark section")
	}
	return fields("", doc, func(key, at string, v any) error {
		switch key {
		case "schema_version":
			if scalar(v) != "2.0" {
				return fmt.Errorf("%s %q: only AIPerf's 2.0 is read", at, scalar(v))
			}
		case "random_seed":
			c.set(at, "random-seed", v)
		case "benchmark":
			return c.benchmark(at, v)
		default:
			return unknown(at)
		}
		return nil
	})
}

func (c *configFlags) benchmark(path string, v any) error {
	return fields(path, v, func(key, at string, v any) error {
		switch key {
		case "model", "models":
			c.set(at, "model", v)
		case "endpoint":
			return c.endpoint(at, v)
		case "dataset":
			return c.dataset(at, v)
		case "datasets":
			list, ok := v.([]any)
			if !ok || len(list) != 1 {
				return fmt.Errorf("%s: want a list of one dataset, as AIPerf", at)
			}
			return c.dataset(at+".0", list[0])
		case "phases":
			if list, ok := v.([]any); ok {
				for i, p := range list {
					if err := c.phase(at+"."+strconv.Itoa(i), p, len(list) == 1); err != nil {
						return err
					}
				}
				return nil
			}
			return c.phase(at, v, true)
		case "artifacts":
			return fields(at, v, func(key, at string, v any) error {
				if key != "dir" {
					return unknown(at)
				}
				c.set(at, "artifact-dir", v)
				return nil
			})
		default:
			return unknown(at)
		}
		return nil
	})
}

func (c *configFlags) endpoint(path string, v any) error {
	direct := map[string]string{"url": "url", "urls": "url", "type": "endpoint-type", "streaming": "streaming",
		"api_key": "api-key", "timeout": "request-timeout-seconds"}
	return fields(path, v, func(key, at string, v any) error {
		if name, ok := direct[key]; ok {
			c.set(at, name, v)
			return nil
		}
		switch key {
		case "headers":
			var hs []string
			if err := fields(at, v, func(_, h string, v any) error {
				hs = append(hs, h[len(at)+1:]+": "+scalar(v))
				return nil
			}); err != nil {
				return err
			}
			c.set(at, "header", strings.Join(hs, ","))
		case "reset_kv_cache":
			return c.hook(at, v, "reset-kv-cache", map[string]string{"path": "reset-kv-cache-path", "timeout_seconds": "reset-kv-cache-timeout-seconds"})
		case "server_profiler":
			return c.hook(at, v, "server-profiler", map[string]string{"start_path": "server-profiler-start-path",
				"stop_path": "server-profiler-stop-path", "timeout_seconds": "server-profiler-timeout-seconds"})
		default:
			return unknown(at)
		}
		return nil
	})
}

// hook is a control hook: false, true or an object of its settings (AIPerf's
// "false | true | object").
func (c *configFlags) hook(at string, v any, on string, sub map[string]string) error {
	if b, ok := v.(bool); ok {
		c.set(at, on, b)
		return nil
	}
	c.set(at, on, true)
	return fields(at, v, func(key, at string, v any) error {
		name, ok := sub[key]
		if !ok {
			return unknown(at)
		}
		c.set(at, name, v)
		return nil
	})
}

func (c *configFlags) dataset(path string, v any) error {
	return fields(path, v, func(key, at string, v any) error {
		switch key {
		case "name":
		case "type":
			if t := scalar(v); t != "synthetic" && t != "file" {
				return fmt.Errorf("%s %q: want synthetic or file", at, t)
			}
		case "entries":
			c.set(at, "num-dataset-entries", v)
		case "path":
			c.set(at, "input-file", v)
		case "format":
			c.set(at, "custom-dataset-type", v)
		case "prompts":
			return fields(at, v, func(key, at string, v any) error {
				flags := map[string][2]string{"isl": {"synthetic-input-tokens-mean", "synthetic-input-tokens-stddev"},
					"osl": {"output-tokens-mean", "output-tokens-stddev"}}
				f, ok := flags[key]
				if !ok {
					return unknown(at)
				}
				if _, isMap := v.(map[string]any); !isMap {
					c.set(at, f[0], v) // a bare number is the mean
					return nil
				}
				return fields(at, v, func(key, at string, v any) error {
					switch key {
					case "mean":
						c.set(at, f[0], v)
					case "stddev":
						c.set(at, f[1], v)
					default:
						return unknown(at)
					}
					return nil
				})
			})
		default:
			return unknown(at)
		}
		return nil
	})
}

// phase maps a warmup or profiling phase; a lone phase without a name is
// the profiling phase (AIPerf's flat form).
func (c *configFlags) phase(path string, v any, lone bool) error {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("%s: want a mapping", path)
	}
	kind := scalar(m["kind"])
	if m["kind"] == nil {
		kind = scalar(m["name"])
	}
	if m["kind"] == nil && m["name"] == nil && lone {
		kind = "profiling"
	}
	prefix := ""
	switch kind {
	case "profiling":
	case "warmup":
		prefix = "warmup-"
	default:
		return fmt.Errorf("%s: a phase named or of kind warmup or profiling, got %q", path, kind)
	}
	flagOf := map[string]string{"concurrency": "concurrency", "requests": "request-count", "rate": "request-rate",
		"duration": "benchmark-duration", "grace_period": "benchmark-grace-period"}
	if prefix != "" {
		flagOf = map[string]string{"concurrency": "warmup-concurrency", "requests": "warmup-request-count",
			"rate": "warmup-request-rate", "duration": "warmup-duration", "grace_period": "warmup-grace-period"}
	}
	return fields(path, v, func(key, at string, v any) error {
		switch key {
		case "name", "kind":
		case "exclude_from_results": // the warmup is always left out; a profiling phase never is here
			if prefix == "" {
				return unknown(at)
			}
		case "type":
			switch t := scalar(v); t {
			case "concurrency":
			case "constant", "poisson", "gamma":
				c.set(at, prefix+"arrival-pattern", t)
			default:
				return fmt.Errorf("%s %q: want concurrency, constant, poisson or gamma", at, t)
			}
		default:
			name, ok := flagOf[key]
			if !ok {
				return unknown(at)
			}
			if key == "duration" || key == "grace_period" {
				s, err := seconds(v)
				if err != nil {
					return fmt.Errorf("%s: %v", at, err)
				}
				v = s
			}
			c.set(at, name, v)
		}
		return nil
	})
}

// seconds is a duration as AIPerf writes it: a number of seconds or a Go-style
// string such as "5m".
func seconds(v any) (float64, error) {
	switch x := v.(type) {
	case int:
		return float64(x), nil
	case float64:
		return x, nil
	case string:
		if d, err := time.ParseDuration(x); err == nil {
			return d.Seconds(), nil
		}
		return strconv.ParseFloat(x, 64)
	}
	return 0, fmt.Errorf("want seconds, got %v", v)
}
