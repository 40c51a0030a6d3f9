package main

import (
	"fmt"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	prof "github.com/aiperf-exporter/aiperf-exporter/profile"
	"github.com/aiperf-exporter/aiperf-exporter/sweep"
)

// variant is one --variant: a named run of a scenario sweep and the flags
// it sets over the command line's.
type variant struct {
	name    string
	flags   []string // flag names, in the order given
	values  []string
	options options.Options // the command line's settings with the variant's applied
}

// parseVariant reads "[name:] key=value, key=value" as AIPerf's
// parse_variant does: a name before a ':' that holds no '=', pairs split on
// commas, no key twice; quotes around a value are dropped. Unnamed variants
// are v0, v1, ... by their place.
func parseVariant(raw string, i int) (variant, error) {
	v := variant{name: fmt.Sprintf("v%d", i)}
	body := strings.TrimSpace(raw)
	if body == "" {
		return v, fmt.Errorf("variant string is empty")
	}
	if head, tail, ok := strings.Cut(body, ":"); ok && !strings.Contains(head, "=") {
		if v.name = strings.TrimSpace(head); v.name == "" {
			return v, fmt.Errorf("%s: empty name before ':'", clip.Quote(raw))
		}
		body = strings.TrimSpace(tail)
	}
	if strings.ContainsAny(v.name, `/\`) || v.name == "." || v.name == ".." {
		return v, fmt.Errorf("%s: the name %s cannot name a directory", clip.Quote(raw), clip.Quote(v.name))
	}
	for _, chunk := range strings.Split(body, ",") {
		if chunk = strings.TrimSpace(chunk); chunk == "" {
			continue
		}
		key, value, ok := strings.Cut(chunk, "=")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		switch {
		case !ok:
			return v, fmt.Errorf("%s: %s is missing '=' (expected key=value)", clip.Quote(raw), clip.Quote(chunk))
		case key == "":
			return v, fmt.Errorf("%s: empty key in %s", clip.Quote(raw), clip.Quote(chunk))
		}
		flag := strings.ReplaceAll(key, "_", "-") // AIPerf takes request_rate as request-rate
		for _, f := range v.flags {
			if f == flag {
				return v, fmt.Errorf("%s: duplicate key %s", clip.Quote(raw), clip.Quote(key))
			}
		}
		if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') && value[len(value)-1] == value[0] {
			value = value[1 : len(value)-1]
		}
		v.flags, v.values = append(v.flags, flag), append(v.values, value)
	}
	if len(v.flags) == 0 {
		return v, fmt.Errorf("%s: no key=value pairs", clip.Quote(raw))
	}
	return v, nil
}

// variants reads --variant and applies each to the command line's settings,
// checked as one run's before anything runs; nil without --variant. As
// AIPerf: at least two, and not with lists or a recipe.
func variants(s prof.Settings, sw *options.Sweep) ([]variant, error) {
	p := s.Profile
	if len(p.Variant) == 0 {
		return nil, nil
	}
	bad := func(msg string, args ...any) error {
		return &options.Error{Flag: "variant", Msg: fmt.Sprintf(msg, args...)}
	}
	switch {
	case len(p.Variant) == 1:
		return nil, bad("given once: use the flags themselves for one run; --variant is for two or more")
	case p.SearchRecipe != "":
		return nil, bad("not with --search-recipe: the recipe builds its own runs")
	case sw != nil:
		return nil, bad("not with a list (--%s): lists sweep every combination, variants name their runs", sw.Lists[0].Flag)
	}
	var out []variant
	seen := map[string]bool{}
	for i, raw := range p.Variant {
		v, err := parseVariant(raw, i)
		if err != nil {
			return nil, bad("%v", err)
		}
		if seen[v.name] {
			return nil, bad("two variants are named %s", clip.Quote(v.name))
		}
		seen[v.name] = true
		v.options = s.Options
		for j, flag := range v.flags {
			set, ok := options.Lookup(&v.options, flag)
			if !ok {
				if _, multi := options.Lookup(&options.Profile{}, flag); multi {
					return nil, bad("%s: --%s is no setting of one run", v.name, flag)
				}
				return nil, bad("%s: unknown key %s (any flag of one run, without --)", v.name, clip.Quote(flag))
			}
			if err := set.Set(v.values[j]); err != nil {
				return nil, bad("%s: --%s %s: %v", v.name, flag, v.values[j], err)
			}
			v.flags[j] = set.Name // the flag's own name, for what the run echoes
		}
		if err := v.options.Validate(); err != nil {
			return nil, bad("%s: %v", v.name, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// variantParam is the sweep's one setting: which variant runs.
func variantParam(vs []variant) sweep.Param {
	p := sweep.Param{Name: "variant"}
	for i, v := range vs {
		p.Labels = append(p.Labels, v.name)
		p.Values = append(p.Values, float64(i))
	}
	return p
}

// withVariant is one run's settings: v's applied, its flags marked given and
// added to the command line the run echoes.
func withVariant(one prof.Settings, v variant) prof.Settings {
	one.Options = v.options
	one.Args = append([]string(nil), one.Args...)
	for i, f := range v.flags {
		one.Set[f] = true
		one.Args = append(one.Args, "--"+f+"="+v.values[i])
	}
	return one
}
