package hub

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/hubtest"
)

// A listing longer than a page is read page by page, following the Link
// headers as huggingface_hub does: every file, not the first page's.
func TestListFollowsPages(t *testing.T) {
	files := map[string][]byte{}
	var want []string
	for i := range 2*hubtest.TreePage + 1 {
		name := fmt.Sprintf("clean/test/%d.parquet", i)
		files["datasets/org/ds/"+name] = []byte("x")
		want = append(want, name)
	}
	files["datasets/org/ds/other/0.parquet"] = []byte("x")
	c := &Client{Endpoint: hubtest.New(t, files), CacheDir: t.TempDir()}
	got, err := c.List(context.Background(), Dataset, "org/ds", "main", "clean/test")
	if err != nil || strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("List = %v, %v; want %v", got, err, want)
	}
}

// A next page on another host is refused (the request carries HF_TOKEN),
// and pages that never end stop at the bound.
func TestListRefusesBadPages(t *testing.T) {
	for _, tc := range []struct {
		name, link, want string
	}{
		{"other host", `<http://127.0.0.2:1/api/next>; rel="next"`, `the next page's link "http://127.0.0.2:1/api/next" is not on`},
		{"endless", `</api/datasets/org/ds/tree/main?cursor=1>; rel="next"`, "more than 1000 pages"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Link", tc.link)
				fmt.Fprint(w, `[{"type":"file","path":"a"}]`)
			}))
			defer srv.Close()
			c := &Client{Endpoint: srv.URL, CacheDir: t.TempDir(), Token: "hf_secret"}
			_, err := c.List(context.Background(), Dataset, "org/ds", "main", "")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one with %q", err, tc.want)
			}
		})
	}
}

func TestNextLink(t *testing.T) {
	for _, tc := range []struct {
		values []string
		want   string
	}{
		{nil, ""},
		{[]string{`<https://h/api/x?cursor=abc>; rel="next"`}, "https://h/api/x?cursor=abc"},
		{[]string{`<https://h/p1>; rel="prev", <https://h/p3>; rel="next"`}, "https://h/p3"},
		{[]string{`<https://h/p1>; rel="prev"`, `<https://h/p3>; rel=next`}, "https://h/p3"},
		{[]string{`<https://h/p3>; title="x"; rel="last next"`}, "https://h/p3"},
		{[]string{`https://h/p3; rel="next"`}, ""},
		{[]string{`<https://h/p3>; rel="nextish"`}, ""},
	} {
		if got := nextLink(tc.values); got != tc.want {
			t.Errorf("nextLink(%q) = %q, want %q", tc.values, got, tc.want)
		}
	}
}
