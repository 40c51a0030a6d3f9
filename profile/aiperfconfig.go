package profile

import (
	"flag"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/aiperf-exporter/aiperf-exporter/internal/boundedfile"
	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// maxConfigFileBytes bounds an AIPerf YAML config file.
const maxConfigFileBytes = 16 << 20

// ConfigFile is AIPerf's YAML config file (--config, schema 2.0), read once
// and mapped onto flag values: ReadConfig reads it, Apply and SweepArgs use
// what it read (a file read again could differ, or be gone).
type ConfigFile struct {
	path    string
	c       *configFlags
	applied map[string]string // the key each flag Apply or SweepArgs took from the file, by flag (Blame)
}

// ReadConfig reads and maps the --config file at path. A key this tool does
// not map is refused, naming its path: nothing in the file is silently
// dropped. Its errors are *options.Error for --config (exit 2).
func ReadConfig(path string) (*ConfigFile, error) {
	c, err := readConfig(path)
	if err != nil {
		return nil, err
	}
	return &ConfigFile{path: path, c: c, applied: map[string]string{}}, nil
}

// Apply sets the flags the file's keys map to, each only where neither the
// command line nor an AIPERF_* variable set it (AIPerf layers flags over the
// file): set is options.Parse's, which names a flag given by an alias by its
// own name; set gains every flag it sets. Its errors are *options.Error for
// --config (exit 2).
func (f *ConfigFile) Apply(fs *flag.FlagSet, set map[string]bool) error {
	c := f.c
	swept := map[string]bool{} // flags whose setting the file's sweep lists give
	for name := range c.values {
		setting, ok := options.SweepSettingOf(name)
		for list := range c.sweeps {
			other, _ := options.SweepSettingOf(list)
			swept[name] = swept[name] || ok && setting == other
		}
	}
	for _, name := range slices.Sorted(maps.Keys(c.values)) {
		if set[name] || swept[name] {
			continue // the command line or the environment wins; a sweep list sets its own
		}
		for _, v := range c.values[name] {
			if err := fs.Set(name, v); err != nil {
				return configError(f.path, "%s (--%s): %v", c.keys[name], name, err)
			}
		}
		set[name] = true
		f.applied[name] = c.keys[name]
	}
	return nil
}

// SweepArgs is the file's sweep lists (sweep.parameters) as command-line
// flags (--concurrency=1,2,4) to go before the command line's own, for the
// settings neither the command line nor an AIPERF_* variable gives (set, as
// options.Parse and Apply filled it): sweep lists are taken off the command
// line before the rest is parsed (options.SplitSweep).
func (f *ConfigFile) SweepArgs(set map[string]bool) []string {
	given := map[string]bool{}
	for name := range set {
		if setting, ok := options.SweepSettingOf(name); ok {
			given[setting] = true
		}
	}
	var args []string
	for _, name := range slices.Sorted(maps.Keys(f.c.sweeps)) {
		if setting, _ := options.SweepSettingOf(name); !given[setting] {
			args = append(args, "--"+name+"="+f.c.sweeps[name])
			f.applied[name] = f.c.keys[name]
		}
	}
	return args
}

// readConfig reads the file and maps its keys onto flag values.
func readConfig(path string) (*configFlags, error) {
	b, err := boundedfile.Read(path, maxConfigFileBytes)
	if err != nil {
		return nil, configError(path, "%v", err)
	}
	var root yaml.Node // kept for schema_version as written
	var doc map[string]any
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, configError(path, "not YAML: %v", oneLine(err))
	}
	if err := root.Decode(&doc); err != nil {
		return nil, configError(path, "not YAML: %v", oneLine(err))
	}
	if err := substituteEnv(doc); err != nil {
		return nil, configError(path, "%v", err)
	}
	c := &configFlags{values: map[string][]string{}, keys: map[string]string{}, sweeps: map[string]string{},
		written: topScalars(&root)}
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
	written  map[string]string // the top level's scalars as the file writes them, by key
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

// topScalars is the text of each scalar at the document's top level, by key,
// as written (2.0 stays 2.0, where decoded it is the number 2).
func topScalars(root *yaml.Node) map[string]string {
	m := map[string]string{}
	if len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		return m
	}
	for c := root.Content[0].Content; len(c) >= 2; c = c[2:] {
		v := c[1]
		if v.Kind == yaml.AliasNode {
			v = v.Alias
		}
		if v.Kind == yaml.ScalarNode {
			m[c[0].Value] = v.Value
		}
	}
	return m
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
