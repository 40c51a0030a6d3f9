package profile

import (
	"flag"
	"fmt"
	"maps"
	"slices"
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
	c, err := readConfig(path)
	if err != nil {
		return err
	}
	given := map[string]bool{} // on the command line, by canonical name
	fs.Visit(func(f *flag.Flag) {
		name, alias := strings.CutPrefix(f.Usage, "alias of --")
		if !alias {
			name = f.Name
		}
		given[name] = true
	})
	swept := map[string]bool{} // flags whose setting the file's sweep lists give
	for name := range c.values {
		setting, ok := options.SweepSettingOf(name)
		for list := range c.sweeps {
			other, _ := options.SweepSettingOf(list)
			swept[name] = swept[name] || ok && setting == other
		}
	}
	names := make([]string, 0, len(c.values))
	for name := range c.values {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if given[name] || set[name] || swept[name] {
			continue // the command line or the environment wins; a sweep list sets its own
		}
		for _, v := range c.values[name] {
			if err := fs.Set(name, v); err != nil {
				return configError(path, "%s (--%s): %v", c.keys[name], name, err)
			}
		}
		set[name] = true
	}
	return nil
}

// ConfigSweepArgs is the config file's sweep lists (sweep.parameters) as
// command-line flags (--concurrency=1,2,4) to go before the command line's
// own, for the settings neither the command line nor an AIPERF_* variable
// gives (set, as options.Parse and ApplyConfig filled it): sweep lists are
// taken off the command line before the rest is parsed (options.SplitSweep).
func ConfigSweepArgs(path string, set map[string]bool) ([]string, error) {
	c, err := readConfig(path)
	if err != nil {
		return nil, err
	}
	given := map[string]bool{}
	for name := range set {
		if setting, ok := options.SweepSettingOf(name); ok {
			given[setting] = true
		}
	}
	var args []string
	for _, name := range slices.Sorted(maps.Keys(c.sweeps)) {
		if setting, _ := options.SweepSettingOf(name); !given[setting] {
			args = append(args, "--"+name+"="+c.sweeps[name])
		}
	}
	return args, nil
}

func configError(path, format string, a ...any) error {
	return &options.Error{Flag: "config", Msg: path + ": " + fmt.Sprintf(format, a...)}
}

// readConfig reads the file and maps its keys onto flag values.
func readConfig(path string) (*configFlags, error) {
	b, err := boundedfile.Read(path, maxConfigFileBytes)
	if err != nil {
		return nil, configError(path, "%v", err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, configError(path, "not YAML: %v", err)
	}
	if err := substituteEnv(doc); err != nil {
		return nil, configError(path, "%v", err)
	}
	c := &configFlags{values: map[string][]string{}, keys: map[string]string{}, sweeps: map[string]string{}}
	if err := c.envelope(doc); err != nil {
		return nil, configError(path, "%v", err)
	}
	if c.conflict != nil {
		return nil, configError(path, "%v", c.conflict)
	}
	if _, mean := c.values["network-latency-mean"]; mean { // a mean is given, not measured (AIPerf)
		delete(c.values, "network-latency-automatic")
	}
	if m, t := c.stream[0], c.stream[1]; m != nil || t != nil {
		on := func(b *bool) bool { return b == nil || *b } // each defaults to on
		c.set("otel.stream_*_enabled", "stream", map[[2]bool]string{{true, true}: "default", {true, false}: "metrics",
			{false, true}: "timing", {false, false}: "none"}[[2]bool{on(m), on(t)}])
	}
	return c, nil
}

// configFlags gathers flag values from the file, and the key each came from.
type configFlags struct {
	values   map[string][]string // each element one Set of the flag
	keys     map[string]string
	sweeps   map[string]string // sweep.parameters: a comma list by flag
	stream   [2]*bool          // otel's stream_metrics_enabled, stream_timing_enabled
	conflict error             // the first two keys that set one flag differently
}

func (c *configFlags) set(key, flagName string, v any) {
	c.setEach(key, flagName, []string{scalar(v)})
}

func (c *configFlags) setEach(key, flagName string, vs []string) {
	if c.keys == nil {
		c.keys = map[string]string{}
	}
	if old, ok := c.values[flagName]; ok && !slices.Equal(old, vs) && c.conflict == nil {
		c.conflict = fmt.Errorf("%s and %s both set --%s, to different values", c.keys[flagName], key, flagName)
	}
	c.values[flagName], c.keys[flagName] = vs, key
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
			if scalar(v) != "2.0" {
				return fmt.Errorf("%s %q: only AIPerf's 2.0 is read", a, scalar(v))
			}
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
			return fmt.Errorf("%s %q: want synthetic, file or public", at, t)
		}
	case "artifacts.records": // false: no per-record export, AIPerf's --export-level summary
		if b, ok := v.(bool); ok && !b {
			c.set(at, "export-level", "summary")
		}
	case "otel.stream_metrics_enabled", "otel.stream_timing_enabled": // AIPerf's --stream, as two switches
		on, _ := v.(bool)
		c.stream[map[bool]int{false: 0, true: 1}[strings.HasSuffix(key, "timing_enabled")]] = &on
	case "artifacts.raw":
		if b, ok := v.(bool); ok && b {
			c.set(at, "export-level", "raw")
		}
	}
	return nil // names, kinds and types the walker has read already
}

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
	if kind == "" && lone {
		kind = "profiling"
	}
	prefix := map[string]string{"profiling": "phase", "warmup": "warmup"}[kind]
	if prefix == "" {
		return fmt.Errorf("%s: a phase named or of kind warmup or profiling, got %q", at, kind)
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
		return fmt.Errorf("%s.type %q: want concurrency, constant, poisson, gamma, fixed_schedule or user_centric (profiling)", at, typ)
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
// names the flag whose comma list it is (ConfigSweepArgs).
func (c *configFlags) sweep(path string, v any) error {
	return fields(path, v, func(key, at string, v any) error {
		if t := scalar(v); key == "type" && t != "grid" && t != "zip" {
			return fmt.Errorf("%s %q: only grid and zip sweeps are read from the file (give --search-* or --variant)", at, t)
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
