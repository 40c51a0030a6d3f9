package layers

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// A rule says that the packages at or below From (a path in the module; "..."
// for every package) must not depend on any package at or below one of NotOn,
// directly or through other packages of the module, in their code or their tests.
type rule struct {
	From  string
	NotOn []string
	Why   string
}

// rules are the layers of docs/design.md. A new package that must stay out of
// another's way gets a row here.
var rules = []rule{
	{"probe", []string{"collector", "report", "daemon", "plot"}, "the probe measures; the consumers only read its records"},
	{"metrics", []string{"probe", "collector", "report", "daemon", "plot"}, "derived values sit below every consumer"},
	{"record", []string{"metrics", "probe", "collector", "report", "daemon", "plot"}, "the record holds what was observed, nothing derived"},
	{"collector", []string{"report", "plot"}, "two consumers of the same records, neither built on the other"},
	{"report", []string{"collector", "daemon"}, "two consumers of the same records, neither built on the other"},
	{"mockserver", []string{"probe"}, "a parser shared with the probe would hide its own bugs"},
	{"profile", []string{"daemon", "collector"}, "profile and serve are two commands over the same packages"},
	{"daemon", []string{"profile", "report"}, "profile and serve are two commands over the same packages"},
	{"httpclient", []string{"collector", "report", "daemon", "profile"}, "the client carries requests; it knows nothing of their consumers (its tests drive it through probe)"},
	{"servermetrics", []string{"probe", "collector", "report", "daemon", "profile"}, "the server's side is read on its own; report writes its exports"},
	{"wer", []string{"record", "metrics", "probe", "report", "collector"}, "a pure function of two texts"},
	{"control", []string{"probe", "collector", "report", "daemon", "profile"}, "control requests are not measured: they never become records"},
	{"hub", []string{"tokens", "probe", "report", "daemon", "profile"}, "a client of the Hub, used by tokens and publicdata"},
	{"upload/otel", []string{"probe", "collector", "report", "daemon", "profile"}, "an upload sends what the run measured; it never drives or reports the run"},
	{"upload/mlflow", []string{"probe", "collector", "report", "daemon", "profile"}, "an upload sends what the run measured; it never drives or reports the run"},
	{"upload/wandb", []string{"probe", "collector", "report", "daemon", "profile"}, "an upload sends what the run measured; it never drives or reports the run"},
	{"endpoint", []string{"..."}, "a leaf: the one table of endpoint types every package derives from"},
	{"...", []string{"cmd"}, "cmd is wiring only"},
}

// pkg is what `go list -json` says of one package.
type pkg struct {
	ImportPath   string
	Imports      []string
	TestImports  []string
	XTestImports []string
}

func TestImportRules(t *testing.T) {
	module := goList(t, "-m")
	out := goList(t, "-e", "-json=ImportPath,Imports,TestImports,XTestImports", module+"/...")
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("decode go list: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	g := newGraph(module, pkgs)
	for _, r := range rules {
		if r.From != "..." && !g.has(r.From) {
			t.Errorf("rule for %q: no such package in the module (renamed? update the rule and docs/design.md)", r.From)
		}
	}
	for _, v := range g.violations(rules) {
		t.Error(v)
	}
}

// The check finds a forbidden package reached through another one, and through
// a test's imports, and names the path.
func TestViolationsFound(t *testing.T) {
	const m = "example.com/m"
	g := newGraph(m, []pkg{
		{ImportPath: m + "/probe", Imports: []string{m + "/inputs", "fmt"}},
		{ImportPath: m + "/inputs", Imports: []string{m + "/collector"}},
		{ImportPath: m + "/collector"},
		{ImportPath: m + "/mockserver", XTestImports: []string{m + "/mockserver", m + "/probe/sse"}},
		{ImportPath: m + "/probe/sse"},
		{ImportPath: m + "/report", TestImports: []string{m + "/metrics"}},
		{ImportPath: m + "/metrics"},
	})
	got := g.violations([]rule{
		{"probe", []string{"collector"}, "a"},
		{"mockserver", []string{"probe"}, "b"},
		{"report", []string{"collector"}, "c"},
	})
	want := []string{
		"probe depends on collector (probe → inputs → collector): a",
		"mockserver depends on probe/sse (mockserver → probe/sse): b",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func goList(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

// graph is the module's packages, by path relative to the module.
type graph struct {
	module string
	pkgs   map[string]pkg
	order  []string // go list's order, so messages come in a stable order
}

func newGraph(module string, pkgs []pkg) *graph {
	g := &graph{module: module, pkgs: map[string]pkg{}}
	for _, p := range pkgs {
		rel, ok := g.rel(p.ImportPath)
		if !ok {
			continue
		}
		g.pkgs[rel] = p
		g.order = append(g.order, rel)
	}
	return g
}

// rel is path relative to the module, if it is in the module.
func (g *graph) rel(path string) (string, bool) {
	return strings.CutPrefix(path, g.module+"/")
}

func (g *graph) has(rel string) bool {
	_, ok := g.pkgs[rel]
	return ok
}

// under reports whether rel is pattern or below it.
func under(rel, pattern string) bool {
	return pattern == "..." || rel == pattern || strings.HasPrefix(rel, pattern+"/")
}

// violations lists, for each package a rule covers, the first forbidden
// package it reaches and the import path that leads there.
func (g *graph) violations(rules []rule) []string {
	var out []string
	for _, r := range rules {
		for _, from := range g.order {
			if !under(from, r.From) {
				continue
			}
			if chain := g.reach(from, r.NotOn); chain != nil {
				out = append(out, from+" depends on "+chain[len(chain)-1]+" ("+strings.Join(chain, " → ")+"): "+r.Why)
			}
		}
	}
	return out
}

// reach walks from's imports and test imports, then the imports of every module
// package reached, breadth first, and returns the chain to the first package
// under one of forbidden (nil if none). from itself never counts.
func (g *graph) reach(from string, forbidden []string) []string {
	p := g.pkgs[from]
	parent := map[string]string{from: ""}
	var queue []string
	add := func(imports []string, by string) {
		for _, path := range imports {
			rel, ok := g.rel(path)
			if _, seen := parent[rel]; !ok || seen {
				continue
			}
			parent[rel] = by
			queue = append(queue, rel)
		}
	}
	add(p.Imports, from)
	add(p.TestImports, from)
	add(p.XTestImports, from)
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, f := range forbidden {
			if under(cur, f) {
				chain := []string{cur}
				for at := parent[cur]; at != ""; at = parent[at] {
					chain = append([]string{at}, chain...)
				}
				return chain
			}
		}
		add(g.pkgs[cur].Imports, cur)
	}
	return nil
}

// A leaf's rule ("..." as the forbidden package) finds any package of the
// module it imports, and nothing outside the module.
func TestLeafRuleFindsAnyImport(t *testing.T) {
	const m = "example.com/m"
	g := newGraph(m, []pkg{
		{ImportPath: m + "/endpoint", Imports: []string{"strings"}},
		{ImportPath: m + "/leaky", Imports: []string{"strings", m + "/options"}},
		{ImportPath: m + "/options"},
	})
	got := g.violations([]rule{{"endpoint", []string{"..."}, "a"}, {"leaky", []string{"..."}, "b"}})
	want := []string{"leaky depends on options (leaky → options): b"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
