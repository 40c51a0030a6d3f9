package options

import (
	"flag"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// Type names the kind of value a flag takes, for --help.
func (f *fieldValue) Type() string {
	if !f.v.IsValid() {
		return "value"
	}
	switch f.v.Kind() {
	case reflect.Bool:
		return ""
	case reflect.Int, reflect.Int64:
		return "int"
	case reflect.Float64:
		return "float"
	case reflect.Slice:
		return "list"
	default:
		return "string"
	}
}

const aliasPrefix = "alias of --"

// flagOf is the flag name an alias stands for (Register writes it in the
// alias's usage), or the flag's own name.
func flagOf(f *flag.Flag) string {
	if target, ok := strings.CutPrefix(f.Usage, aliasPrefix); ok {
		return target
	}
	return f.Name
}

// PrintFlags writes --help's flag list in AIPerf's spelling (--name, with its
// aliases on the same line), each with its value type, help and default. Zero
// defaults are shown too ("(default 0)", "(default false)"); only a flag whose
// default is empty (no value at all) has none.
func PrintFlags(w io.Writer, fs *flag.FlagSet) {
	aliases := map[string][]string{}
	fs.VisitAll(func(f *flag.Flag) {
		if target := flagOf(f); target != f.Name {
			aliases[target] = append(aliases[target], f.Name)
		}
	})
	fs.VisitAll(func(f *flag.Flag) {
		if flagOf(f) != f.Name {
			return
		}
		names := []string{dashed(f.Name)}
		for _, a := range aliases[f.Name] {
			names = append(names, dashed(a))
		}
		typ, usage := flag.UnquoteUsage(f)
		if t, ok := f.Value.(interface{ Type() string }); ok {
			typ = t.Type()
		}
		if typ != "" {
			typ = " " + typ
		}
		fmt.Fprintf(w, "  %s%s\n    \t%s", strings.Join(names, ", "), typ, usage)
		if d := f.DefValue; d != "" {
			fmt.Fprintf(w, " (default %s)", d)
		}
		fmt.Fprintln(w)
	})
}

func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}
