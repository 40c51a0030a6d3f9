package profile

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
)

func refuse(key, at string) error {
	for k, why := range configRefused {
		if key == k || strings.HasPrefix(key, k+".") {
			return fmt.Errorf("unsupported key %s: %s (README: --config)", at, why)
		}
	}
	return fmt.Errorf("unknown or unsupported key %s (README: --config)", at)
}

// section is where each key of benchmark: is looked up in configFlag.
var section = map[string]bool{"endpoint": true, "dataset": true, "artifacts": true, "tokenizer": true,
	"accuracy": true, "slos": true, "logging": true, "runtime": true, "server_metrics": true,
	"gpu_telemetry": true, "network_latency": true, "mlflow": true, "wandb": true, "otel": true,
	"scenario": true, "unsafe_override": true, "trajectory_start_min_ratio": true, "trajectory_start_max_ratio": true}

// mapValued keys hold a mapping that is one flag: each entry a flag value
// written with this separator between key and value.
var mapValued = map[string]string{"endpoint.headers": ": ", "endpoint.extra": ":", "dataset.filters": "=", "slos": ":",
	"mlflow.tags": ":", "otel.custom_resource_attributes": "="}

// envelopeKeys stay at the top of AIPerf's file; every other top-level key
// belongs to benchmark: (AIPerf moves it there).
var envelopeKeys = map[string]bool{"schema_version": true, "random_seed": true, "no_sweep_table": true,
	"multi_run": true, "variables": true, "sweep": true, "benchmark": true}

func (c *configFlags) envelope(doc map[string]any) error {
	body, at := map[string]any{}, map[string]string{} // benchmark's keys, and where each is in the file
	if b, ok := doc["benchmark"]; ok {
		if err := fields("benchmark", b, func(key, a string, v any) error {
			body[key], at[key] = v, a
			return nil
		}); err != nil {
			return err
		}
	}
	if err := fields("", doc, func(key, a string, v any) error {
		switch {
		case key == "schema_version":
			return c.schemaVersion(a, v)
		case key == "sweep":
			return c.sweep(a, v)
		case !envelopeKeys[key]:
			if _, twice := body[key]; twice {
				return fmt.Errorf("%s: given both at the top and under benchmark", a)
			}
			body[key], at[key] = v, a
		case key != "benchmark":
			return c.walk(key, a, v)
		}
		return nil
	}); err != nil {
		return err
	}
	if len(body) == 0 {
		return fmt.Errorf("no benchmark settings")
	}
	return c.benchmark(body, at)
}

// schemaVersion accepts only the string "2.0", as AIPerf's loader does
// (Literal["2.0"]): unquoted, 2.0 is a number, which AIPerf refuses too.
func (c *configFlags) schemaVersion(at string, v any) error {
	s, isString := v.(string)
	switch {
	case isString && s == "2.0":
		return nil
	case isString:
		return fmt.Errorf("%s %s: only AIPerf's 2.0 is read", at, clip.Quote(s))
	}
	if written, ok := c.written[at]; ok { // a scalar: named as the file writes it
		at += " " + clip.Text(written)
	}
	switch v.(type) {
	case int, uint64, float64:
		return fmt.Errorf("%s: a number; AIPerf reads only the string \"2.0\" (write it quoted)", at)
	}
	return fmt.Errorf("%s: not the string \"2.0\", the only schema AIPerf reads", at)
}

// benchmark maps benchmark:'s keys, after AIPerf's shorthands: model or
// models, dataset or datasets, warmup and profiling or phases.
func (c *configFlags) benchmark(body map[string]any, at map[string]string) error {
	for _, pair := range [][2]string{{"model", "models"}, {"dataset", "datasets"}, {"warmup", "phases"}, {"profiling", "phases"}} {
		if body[pair[0]] != nil && body[pair[1]] != nil {
			return fmt.Errorf("%s: cannot be used with %s (AIPerf)", at[pair[0]], pair[1])
		}
	}
	if body["warmup"] != nil && body["profiling"] == nil {
		return fmt.Errorf("%s: needs a profiling phase (AIPerf)", at["warmup"])
	}
	for _, key := range slices.Sorted(maps.Keys(body)) {
		v := body[key]
		var err error
		switch key {
		case "model", "models":
			err = c.models(at[key], v)
		case "datasets":
			list, ok := v.([]any)
			if !ok || len(list) != 1 {
				return fmt.Errorf("%s: want a list of one dataset (one dataset is run here)", at[key])
			}
			err = c.walk("dataset", at[key]+".0", list[0])
		case "phases":
			err = c.phases(at[key], v)
		case "warmup", "profiling": // AIPerf's simple form of phases
			err = c.phase(at[key], v, key, false)
		default:
			if !section[key] {
				return refuse(key, at[key])
			}
			err = c.walk(key, at[key], v)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// models is a name, a list of names, or AIPerf's {items: [{name}], strategy}.
func (c *configFlags) models(at string, v any) error {
	if _, ok := v.(map[string]any); !ok {
		c.set(at, "model", v)
		return nil
	}
	return fields(at, v, func(key, at string, v any) error {
		if key != "items" {
			return c.walk("models."+key, at, v)
		}
		list, _ := v.([]any)
		names := make([]any, len(list))
		for i, item := range list {
			if m, ok := item.(map[string]any); ok {
				for k := range m {
					if k != "name" {
						return refuse("models.items."+snake(k), fmt.Sprintf("%s.%d.%s", at, i, k))
					}
				}
				item = m["name"]
			}
			names[i] = item
		}
		c.set(at, "model", names)
		return nil
	})
}

// walk sets the flag of key (a configFlag path) from v, descending into
// mappings; at is v's path in the file, for errors.
func (c *configFlags) walk(key, at string, v any) error {
	if _, refused := configRefused[key]; refused {
		return refuse(key, at)
	}
	name, known := configFlag[key]
	sep, isMapFlag := mapValued[key]
	if _, isMap := v.(map[string]any); isMap && !isMapFlag {
		if known && name != "-" { // a hook's "false | true | object": an object turns it on
			c.set(at, name, true)
		}
		return fields(at, v, func(k, a string, v any) error { return c.walk(key+"."+k, a, v) })
	}
	if !known { // a bare number is the mean (isl: 128) or a ramp's duration (concurrency_ramp: 5)
		for _, part := range []string{".mean", ".duration"} {
			if _, ok := configFlag[key+part]; ok {
				return c.walk(key+part, at, v)
			}
		}
		return refuse(key, at)
	}
	switch {
	case name == "-":
		return c.special(key, at, v)
	case strings.HasPrefix(name, "!"): // enabled: false is a --no-* flag
		if b, ok := v.(bool); ok && !b {
			c.set(at, name[1:], true)
		}
		return nil
	case isMapFlag:
		var entries []string
		if list, ok := v.([]any); ok { // already "key:value" strings
			for _, e := range list {
				entries = append(entries, scalar(e))
			}
		} else if err := fields(at, v, func(_, a string, v any) error {
			entries = append(entries, a[len(at)+1:]+sep+scalar(v))
			return nil
		}); err != nil {
			return err
		}
		if key == "slos" { // --goodput takes them space separated
			entries = []string{strings.Join(entries, " ")}
		}
		c.setEach(at, name, entries)
		return nil
	}
	if last := key[strings.LastIndex(key, ".")+1:]; last == "duration" || last == "grace_period" {
		s, err := seconds(v)
		if err != nil {
			return fmt.Errorf("%s: %v", at, err)
		}
		v = s
	}
	c.set(at, name, v)
	return nil
}

// special reads the keys the table marks "-".
func (c *configFlags) special(key, at string, v any) error {
	switch key {
	case "dataset.type":
		if t := scalar(v); t != "synthetic" && t != "file" && t != "public" {
			return fmt.Errorf("%s %s: want synthetic, file or public", at, clip.Quote(t))
		}
	case "artifacts.records": // false: no per-record export, AIPerf's --export-level summary
		if b, ok := v.(bool); ok && !b {
			c.set(at, "export-level", "summary")
		}
	case "otel.stream_metrics_enabled", "otel.stream_timing_enabled": // AIPerf's --stream, as two switches
		on, _ := v.(bool)
		c.stream[map[bool]int{false: 0, true: 1}[strings.HasSuffix(key, "timing_enabled")]] = &on
	case "phase.exclude_from_results", "warmup.exclude_from_results": // forced by the kind (AIPerf)
		if b, ok := v.(bool); !ok || b != strings.HasPrefix(key, "warmup") {
			return fmt.Errorf("%s: %v does not fit the phase's kind (a warmup is always left out, a profiling phase never)", at, v)
		}
	case "artifacts.raw":
		if b, ok := v.(bool); ok && b {
			c.set(at, "export-level", "raw")
		}
	}
	return nil // names, kinds and types the walker has read already
}
