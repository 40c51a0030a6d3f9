package httpclient

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// yamlEntry is one value of an http_config document: its dotted key path
// (tls_config.ca_file, http_headers.X-Tenant.values[0]) and where it sits.
type yamlEntry struct {
	path      string
	keyLine   int // 0 for a list item
	valueLine int
	kind      yaml.Kind
	value     string // scalars only
}

// yamlEntries lists every value of the document, depth first.
func yamlEntries(n *yaml.Node, prefix string, out []yamlEntry) []yamlEntry {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			out = yamlEntries(c, prefix, out)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			path := k.Value
			if prefix != "" {
				path = prefix + "." + k.Value
			}
			out = append(out, yamlEntry{path: path, keyLine: k.Line, valueLine: v.Line, kind: v.Kind, value: scalar(v)})
			out = yamlEntries(v, path, out)
		}
	case yaml.SequenceNode:
		for i, v := range n.Content {
			path := prefix + "[" + strconv.Itoa(i) + "]"
			out = append(out, yamlEntry{path: path, valueLine: v.Line, kind: v.Kind, value: scalar(v)})
			out = yamlEntries(v, path, out)
		}
	}
	return out
}

func scalar(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return n.Value
	}
	return ""
}

var (
	yamlUnknownField = regexp.MustCompile("^line (\\d+): field (.*) not found in type \\S+$")
	yamlWrongType    = regexp.MustCompile("^line (\\d+): cannot unmarshal (\\S+)(?: `(.*)`)? into (\\S+)$")
	yamlDuplicate    = regexp.MustCompile("^line (\\d+): (?:field (.*) already set in type \\S+|mapping key (.*) already defined at line \\d+)$")
)

// describeYAMLError turns a yaml decoding error of the http_config library
// (several lines naming its Go types, e.g. "config.plain") into one line naming
// each bad key by its path in the document. Values are never repeated: they may
// be credentials.
func describeYAMLError(err error, doc *yaml.Node) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return errors.New(oneLine(err.Error()))
	}
	var entries []yamlEntry
	if doc != nil {
		entries = yamlEntries(doc, "", nil)
	}
	msgs := make([]string, 0, len(te.Errors))
	for _, e := range te.Errors {
		msgs = append(msgs, describeTypeError(e, entries))
	}
	return errors.New(strings.Join(msgs, "; "))
}

func describeTypeError(e string, entries []yamlEntry) string {
	if m := yamlUnknownField.FindStringSubmatch(e); m != nil {
		line, _ := strconv.Atoi(m[1])
		return fmt.Sprintf("line %d: unknown key %q", line, findKey(entries, line, m[2]))
	}
	if m := yamlDuplicate.FindStringSubmatch(e); m != nil {
		line, _ := strconv.Atoi(m[1])
		name, err := strconv.Unquote(m[2] + m[3])
		if err != nil {
			name = m[2] + m[3]
		}
		return fmt.Sprintf("line %d: key %q given twice", line, findKey(entries, line, name))
	}
	if m := yamlWrongType.FindStringSubmatch(e); m != nil {
		line, _ := strconv.Atoi(m[1])
		what := "a value"
		if p := findValue(entries, line, m[2], m[3]); p != "" {
			what = "key " + strconv.Quote(p)
		}
		return fmt.Sprintf("line %d: %s wants %s, got %s", line, what, wantOf(m[4]), gotOf(m[2]))
	}
	return e
}

// findKey returns the path of the key name written on line, or name itself.
func findKey(entries []yamlEntry, line int, name string) string {
	for _, e := range entries {
		if e.keyLine == line && (e.path == name || strings.HasSuffix(e.path, "."+name)) {
			return e.path
		}
	}
	return name
}

// findValue returns the path of the value on line with the YAML tag that
// begins like shown (the library shortens long values to 7 characters and
// "..."), or "". Of several mappings or lists on one line (flow style) it
// takes the last, the innermost.
func findValue(entries []yamlEntry, line int, tag, shown string) string {
	shown = strings.TrimSuffix(shown, "...")
	want := yaml.ScalarNode
	switch tag {
	case "!!map":
		want = yaml.MappingNode
	case "!!seq":
		want = yaml.SequenceNode
	}
	var found string
	for _, e := range entries {
		if e.valueLine != line || e.kind != want {
			continue
		}
		if want == yaml.ScalarNode && strings.HasPrefix(e.value, shown) {
			return e.path
		}
		found = e.path
	}
	return found
}

// wantOf says in words what a Go type of the http_config library takes.
func wantOf(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case strings.HasPrefix(goType, "map["):
		return "a mapping"
	case goType == "bool":
		return "true or false"
	case goType == "string" || goType == "config.Secret" || strings.HasPrefix(goType, "secret."):
		return "a string"
	case strings.HasPrefix(goType, "int") || strings.HasPrefix(goType, "uint") || strings.HasPrefix(goType, "float"):
		return "a number"
	case strings.HasSuffix(goType, "Duration"):
		return "a duration such as 30s"
	default: // config.plain and the library's other structs
		return "a mapping"
	}
}

// gotOf names a YAML tag (!!int, !!map, or a custom !tag) in words.
func gotOf(tag string) string {
	switch strings.TrimPrefix(tag, "!!") {
	case "map":
		return "a mapping"
	case "seq":
		return "a list"
	case "int", "float":
		return "a number"
	case "bool":
		return "true or false"
	case "null":
		return "nothing"
	case "str":
		return "a string"
	default:
		return "a value tagged " + tag
	}
}

// oneLine joins the lines of a message with "; ".
func oneLine(s string) string {
	var parts []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, "; ")
}
