package daemon

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// ScenarioConfig is one probe scenario: its name (the `scenario` label value),
// its settings and the pause between its bursts (0 = continuous).
type ScenarioConfig struct {
	Name          string
	Options       options.Options
	ProbeInterval float64 // seconds; --probe.interval
}

// Scenarios returns the scenarios to run, each validated: those of
// s.ConfigFile layered over base (defaults < environment < flags < file), or
// base alone named s.Scenario.
func Scenarios(base *options.Options, s *options.Serve) ([]ScenarioConfig, error) {
	if s.ConfigFile == "" {
		sc := ScenarioConfig{Name: s.Scenario, Options: *base, ProbeInterval: s.ProbeInterval}
		if err := sc.validate(); err != nil {
			return nil, err
		}
		return []ScenarioConfig{sc}, nil
	}
	return LoadScenarios(s.ConfigFile, base, s.ProbeInterval)
}

// LoadScenarios reads a scenario file:
//
//	scenarios:
//	  - name: short-audio          # the scenario label value
//	    audio-length-mean: 2       # any setting, by its flag name
//	    concurrency: 2
//	  - name: long-audio
//	    audio-length-mean: 30
//	    request-rate: 0.1
//	    probe.interval: 60         # per scenario; daemon-wide flags are not allowed
//
// Each entry starts from base and baseInterval. Decoding is strict: an unknown
// key, a daemon-wide setting, a bad value or a setting that does not validate is
// an error naming the file, line, scenario and key.
func LoadScenarios(path string, base *options.Options, baseInterval float64) ([]ScenarioConfig, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--config.file: %w", err)
	}
	defer f.Close()
	return parseScenarios(f, path, base, baseInterval)
}

func parseScenarios(r io.Reader, path string, base *options.Options, baseInterval float64) ([]ScenarioConfig, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(r).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: the file is empty (want a 'scenarios' list)", path)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	at := func(n *yaml.Node, format string, a ...any) error {
		return fmt.Errorf("%s:%d: %s", path, n.Line, fmt.Sprintf(format, a...))
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, at(root, "want a mapping with a 'scenarios' list")
	}
	var list *yaml.Node
	for i := 0; i < len(root.Content); i += 2 {
		k := root.Content[i]
		if k.Value != "scenarios" {
			return nil, at(k, "unknown key %q (want scenarios)", k.Value)
		}
		list = root.Content[i+1]
	}
	if list == nil || list.Kind != yaml.SequenceNode || len(list.Content) == 0 {
		return nil, at(root, "'scenarios' must be a non-empty list")
	}
	seen := map[string]bool{}
	var out []ScenarioConfig
	for i, entry := range list.Content {
		sc, err := parseScenario(entry, base, baseInterval)
		if err == nil && seen[sc.Name] {
			err = errors.New("name: used by an earlier scenario (names are label values and must be unique)")
		}
		if err == nil {
			err = keyError(sc.validate())
		}
		if err != nil {
			name := fmt.Sprintf("#%d", i+1)
			if sc.Name != "" {
				name = strconv.Quote(sc.Name)
			}
			return nil, fmt.Errorf("%s:%d: scenario %s: %w", path, entry.Line, name, err)
		}
		seen[sc.Name] = true
		out = append(out, sc)
	}
	return out, nil
}

// daemonWide are serve settings that cannot differ between scenarios.
var daemonWide = map[string]bool{"mock": true, "scenario": true,
	"response-budget-mib": true} // one response budget for the whole process

func init() {
	for _, name := range options.FlagNames(&options.Serve{}) {
		if name != "probe.interval" {
			daemonWide[name] = true
		}
	}
}

// parseScenario applies one entry's keys over base, parsing each value with the
// same rules as its flag (lists: a YAML list or a comma-separated string).
func parseScenario(n *yaml.Node, base *options.Options, baseInterval float64) (ScenarioConfig, error) {
	sc := ScenarioConfig{Options: *base, ProbeInterval: baseInterval}
	if n.Kind != yaml.MappingNode {
		return sc, errors.New("want a mapping of settings")
	}
	set := map[string]string{} // flag name -> the key that set it
	for i := 0; i < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := k.Value
		bad := func(format string, a ...any) error {
			return fmt.Errorf("line %d: %s: %s", k.Line, key, fmt.Sprintf(format, a...))
		}
		switch {
		case key == "name":
			if v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "" {
				return sc, bad("must be a non-empty string")
			}
			sc.Name = v.Value
			continue
		case key == "probe.interval":
			x, err := strconv.ParseFloat(v.Value, 64)
			if v.Kind != yaml.ScalarNode || err != nil {
				return sc, bad("%q is not a number", v.Value)
			}
			sc.ProbeInterval = x
			continue
		case daemonWide[key]:
			return sc, bad("is a daemon-wide setting: set it with a flag or AIPERF_* variable, not per scenario")
		}
		setting, ok := options.Lookup(&sc.Options, key)
		if !ok {
			return sc, bad("unknown key (want a flag name such as audio-length-mean)")
		}
		if prev, dup := set[setting.Name]; dup {
			return sc, bad("already set as %s", prev)
		}
		set[setting.Name] = key
		// Each value is parsed by the flag's own parser; a list's first value
		// replaces the base's list.
		var values []string
		switch v.Kind {
		case yaml.ScalarNode:
			values = []string{v.Value}
		case yaml.SequenceNode:
			if !setting.IsList() {
				return sc, bad("takes one value, not a list")
			}
			for _, item := range v.Content {
				if item.Kind != yaml.ScalarNode {
					return sc, bad("list items must be plain values")
				}
				values = append(values, item.Value)
			}
		default:
			return sc, bad("must be a value or a list of values")
		}
		for _, s := range values {
			if err := setting.Set(s); err != nil {
				return sc, bad("%v", err)
			}
		}
	}
	if sc.Name == "" {
		return sc, errors.New("has no name")
	}
	return sc, nil
}

// validate checks the scenario's settings; errors name the flag (*options.Error).
func (sc *ScenarioConfig) validate() error {
	sc.Options.DropUnsupportedStreaming() // as profile, which also warns
	if err := sc.Options.Validate(); err != nil {
		return err
	}
	bad := func(msg string) error { return &options.Error{Flag: "probe.interval", Msg: msg} }
	switch {
	case sc.ProbeInterval < 0:
		return bad(fmt.Sprintf("must be >= 0, got %g", sc.ProbeInterval))
	case sc.ProbeInterval > 0 && sc.Options.RequestRate > 0:
		return bad("bursts every interval cannot be combined with --request-rate (pick one load shape)")
	case sc.ProbeInterval > 0 && sc.Options.Duration > 0:
		return bad("bursts every interval cannot be combined with --benchmark-duration")
	}
	return options.CheckNumber("probe.interval", sc.ProbeInterval)
}

// keyError turns a validation error into "key: message" for a file.
func keyError(err error) error {
	var oe *options.Error
	if errors.As(err, &oe) {
		return fmt.Errorf("%s: %s", oe.Flag, oe.Msg)
	}
	return err
}
