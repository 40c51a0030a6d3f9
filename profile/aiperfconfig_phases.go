package profile

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// phases maps a warmup and a profiling phase: one mapping (the profiling
// phase, AIPerf's flat form), a list of phases named or of kind warmup or
// profiling, or a mapping of them by name.
func (c *configFlags) phases(at string, v any) error {
	if list, ok := v.([]any); ok {
		seen := map[string]bool{}
		for i, p := range list {
			if m, ok := p.(map[string]any); ok {
				kind := scalar(m["kind"])
				if m["kind"] == nil {
					kind = scalar(m["name"])
				}
				if seen[kind] {
					return fmt.Errorf("%s.%d: a second %s phase (one warmup and one profiling phase are run here)", at, i, kind)
				}
				seen[kind] = true
			}
			if err := c.phase(at+"."+strconv.Itoa(i), p, "", len(list) == 1); err != nil {
				return err
			}
		}
		return nil
	}
	m, _ := v.(map[string]any)
	byName := len(m) > 0
	for k, p := range m {
		_, isMap := p.(map[string]any)
		byName = byName && isMap && (k == "warmup" || k == "profiling")
	}
	if !byName {
		return c.phase(at, v, "", true)
	}
	return fields(at, v, func(key, at string, v any) error { return c.phase(at, v, key, false) })
}

func (c *configFlags) phase(at string, v any, name string, lone bool) error {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("%s: want a mapping", at)
	}
	kind := name
	for _, k := range []string{"kind", "name"} {
		if m[k] != nil && kind == "" {
			kind = scalar(m[k])
		}
	}
	if kind == "" && lone || kind == "default" { // AIPerf names a flat phase "default", a profiling one
		kind = "profiling"
	}
	prefix := map[string]string{"profiling": "phase", "warmup": "warmup"}[kind]
	if prefix == "" {
		return fmt.Errorf("%s: a phase named or of kind warmup or profiling, got %s", at, clip.Quote(kind))
	}
	typ := scalar(m["type"])
	switch {
	case m["type"] == nil, typ == "concurrency":
	case typ == "constant" || typ == "poisson" || typ == "gamma":
		c.set(at+".type", map[string]string{"phase": "arrival-pattern", "warmup": "warmup-arrival-pattern"}[prefix], typ)
	case prefix == "phase" && typ == "fixed_schedule":
		c.set(at+".type", "fixed-schedule", true)
	case prefix == "phase" && typ == "user_centric":
	default:
		return fmt.Errorf("%s.type %s: want concurrency, constant, poisson, gamma, fixed_schedule or user_centric (profiling)", at, clip.Quote(typ))
	}
	return fields(at, m, func(key, a string, v any) error {
		if key == "rate" && typ == "user_centric" {
			key = "user_centric_rate"
		}
		return c.walk(prefix+"."+key, a, v)
	})
}

// sweep maps AIPerf's grid or zip sweep onto our sweep flags: each
// parameter's path (phases.profiling.concurrency, datasets.main.prompts.isl.mean)
// names the flag whose comma list it is (ConfigFile.SweepArgs).
func (c *configFlags) sweep(path string, v any) error {
	return fields(path, v, func(key, at string, v any) error {
		if t := scalar(v); key == "type" && t != "grid" && t != "zip" {
			return fmt.Errorf("%s %s: only grid and zip sweeps are read from the file (give --search-* or --variant)", at, clip.Quote(t))
		}
		if key != "parameters" {
			return c.walk("sweep."+key, at, v)
		}
		if _, ok := v.(map[string]any); !ok {
			return fmt.Errorf("%s: want a mapping of config paths to lists", at)
		}
		for _, p := range slices.Sorted(maps.Keys(v.(map[string]any))) {
			list, isList := v.(map[string]any)[p].([]any)
			name := configFlag[sweepKey(p)]
			if _, ok := options.SweepSettingOf(name); !ok || !isList || len(list) == 0 {
				return fmt.Errorf("%s.%s: want a list for concurrency, rate, requests, duration, isl, osl, their stddevs or entries (README: --config)", at, p)
			}
			c.sweeps[name], c.keys[name] = scalar(list), at+"."+p
		}
		return nil
	})
}

// sweepKey is the configFlag key of a sweep parameter's path.
func sweepKey(p string) string {
	parts := strings.SplitN(strings.TrimPrefix(p, "benchmark."), ".", 3)
	if len(parts) < 3 {
		return p
	}
	switch parts[0] {
	case "phases":
		return map[string]string{"profiling": "phase", "warmup": "warmup"}[parts[1]] + "." + parts[2]
	case "datasets":
		key := "dataset." + parts[2]
		if _, ok := configFlag[key]; !ok {
			key += ".mean" // prompts.isl is its mean
		}
		return key
	}
	return p
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
