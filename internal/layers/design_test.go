package layers

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// designDoc is docs/design.md, relative to this package's directory.
const designDoc = "../../docs/design.md"

// section is the text of design.md's "## title" section, up to the next one.
func section(t *testing.T, doc, title string) string {
	t.Helper()
	_, after, ok := strings.Cut(doc, "\n## "+title+"\n")
	if !ok {
		t.Fatalf("%s has no section %q", designDoc, title)
	}
	text, _, _ := strings.Cut(after, "\n## ")
	return text
}

var codeSpan = regexp.MustCompile("`([^`]+)`")

// layerRows reads the Layers table: each row's package and the packages it
// must not depend on, as a rule (From "..." for "every package", cmd/... as cmd).
func layerRows(text string) []rule {
	var out []rule
	for _, line := range strings.Split(text, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 4 || !strings.Contains(cells[1], "`") && !strings.Contains(cells[1], "every package") {
			continue
		}
		r := rule{From: "..."}
		if m := codeSpan.FindStringSubmatch(cells[1]); m != nil {
			r.From = m[1]
		}
		for _, m := range codeSpan.FindAllStringSubmatch(cells[2], -1) {
			r.NotOn = append(r.NotOn, strings.TrimSuffix(m[1], "/..."))
		}
		out = append(out, r)
	}
	return out
}

// docOf says what design.md and the code disagree on: rules missing from or
// extra in the Layers table, and packages the Packages table does not name.
func docOf(doc string, rs []rule, pkgs []string, t *testing.T) []string {
	var out []string
	key := func(r rule) string {
		notOn := slices.Clone(r.NotOn)
		slices.Sort(notOn)
		return r.From + " ↛ " + strings.Join(notOn, ", ")
	}
	var inDoc, inCode []string
	for _, r := range layerRows(section(t, doc, "Layers")) {
		inDoc = append(inDoc, key(r))
	}
	for _, r := range rs {
		inCode = append(inCode, key(r))
	}
	for _, k := range inCode {
		if !slices.Contains(inDoc, k) {
			out = append(out, "rule not in the Layers table: "+k)
		}
	}
	for _, k := range inDoc {
		if !slices.Contains(inCode, k) {
			out = append(out, "Layers row without a rule: "+k)
		}
	}
	named := map[string]bool{}
	for _, m := range codeSpan.FindAllStringSubmatch(section(t, doc, "Packages (one concept each)"), -1) {
		named[m[1]] = true
	}
	for _, p := range pkgs {
		if !named[p] {
			out = append(out, "package "+p+" is not in the Packages table")
		}
	}
	return out
}

// docs/design.md's Layers table is the rules table, row for row, and its
// Packages table names every package of the module; every package says its
// job in a doc comment.
func TestDesignDocMatchesTheCode(t *testing.T) {
	doc, err := os.ReadFile(designDoc)
	if err != nil {
		t.Fatal(err)
	}
	module := goList(t, "-m")
	var pkgs []string
	for _, line := range strings.Split(goList(t, "-f", "{{.ImportPath}}\t{{.Doc}}", module+"/..."), "\n") {
		path, synopsis, _ := strings.Cut(line, "\t")
		rel := strings.TrimPrefix(path, module+"/")
		pkgs = append(pkgs, rel)
		if synopsis == "" {
			t.Errorf("package %s has no doc comment saying its job", rel)
		}
	}
	for _, d := range docOf(string(doc), rules, pkgs, t) {
		t.Error(d)
	}
}

// The check finds a rule the table lacks, a row no rule backs, and a package
// the Packages table does not name.
func TestDesignDocMismatchesFound(t *testing.T) {
	doc := "# D\n\n## Packages (one concept each)\n\n| `a` | job |\n| `b`, `c/d` | job |\n\n" +
		"## Layers\n\n| package | must not depend on | why |\n|---|---|---|\n" +
		"| `a` | `b`, `c` | x |\n| `b` | `c` | y |\n| every package | `cmd/...` | z |\n\n## Contracts\n"
	got := docOf(doc, []rule{{"a", []string{"c", "b"}, ""}, {"c", []string{"a"}, ""}, {"...", []string{"cmd"}, ""}},
		[]string{"a", "b", "c/d", "e"}, t)
	want := []string{
		"rule not in the Layers table: c ↛ a",
		"Layers row without a rule: b ↛ c",
		"package e is not in the Packages table",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
