package mockserver

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/endpoint"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// Every endpoint type of the table is served at its paths, listed on the
// index page and refused while the model loads; an unknown path is not.
func TestEveryEndpointTypeIsRouted(t *testing.T) {
	srv := start(t, Config{})
	_, index := testkit.Get(t, srv.URL+"/", nil)
	loading := start(t, Config{LoadingFor: time.Hour})
	for _, ty := range endpoint.All() {
		for _, path := range []string{ty.Path, ty.StreamPath} {
			if path == "" {
				continue
			}
			resp, _ := postRaw(t, srv.URL+path, "", "application/json", []byte("{}"))
			if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed {
				t.Errorf("%s: POST %s is %d: not routed", ty.Name, path, resp.StatusCode)
			}
			if !strings.Contains(index, "POST "+path+"\n") {
				t.Errorf("%s: the index page does not list POST %s:\n%s", ty.Name, path, index)
			}
			if resp, _ := postRaw(t, loading.URL+path, "", "application/json", []byte("{}")); resp.StatusCode != http.StatusServiceUnavailable {
				t.Errorf("%s: POST %s while loading is %d, want 503", ty.Name, path, resp.StatusCode)
			}
		}
	}
	if resp, _ := postRaw(t, srv.URL+"/v1/nothing", "", "application/json", []byte("{}")); resp.StatusCode != http.StatusNotFound {
		t.Errorf("POST /v1/nothing is %d, want 404", resp.StatusCode)
	}
}

// The index page lists exactly the routes the server serves: each line is a
// pattern the mux routes that line's request to, and no code registers a
// route but through Server.handle, which lists it.
func TestIndexListsEveryRoute(t *testing.T) {
	srv := start(t, Config{})
	_, index := testkit.Get(t, srv.URL+"/", nil)
	lines := strings.Split(strings.TrimSuffix(index, "\n"), "\n")[1:] // after the title
	if len(lines) != len(srv.Server.routes) {
		t.Errorf("%d lines for %d routes:\n%s", len(lines), len(srv.Server.routes), index)
	}
	seen := map[string]bool{}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) < 2 {
			t.Fatalf("index line %q is not METHOD PATH", l)
		}
		listed := f[0] + " " + f[1]
		req := httptest.NewRequest(f[0], strings.ReplaceAll(f[1], "{id}", "x"), nil)
		if _, pattern := srv.Server.mux.Handler(req); strings.TrimSuffix(pattern, "{$}") != listed || seen[listed] {
			t.Errorf("index line %q: the mux routes it to %q (listed twice: %v)", l, pattern, seen[listed])
		}
		seen[listed] = true
	}
	for _, want := range []string{"GET /v1/videos/{id}", "GET /v1/videos/{id}/content", "GET /configure", "POST /configure"} {
		if !seen[want] {
			t.Errorf("the index page does not list %s:\n%s", want, index)
		}
	}

	// Registered only through handle: no other call of a mux's Handle or HandleFunc.
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Name.Name == "handle" && fn.Recv != nil {
				continue
			}
			ast.Inspect(fn, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Handle" || sel.Sel.Name == "HandleFunc") {
					t.Errorf("%s: %s registers a route without Server.handle, so the index page misses it", fset.Position(call.Pos()), fn.Name.Name)
				}
				return true
			})
		}
	}
}
