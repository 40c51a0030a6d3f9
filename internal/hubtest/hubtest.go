// Package hubtest is a fake Hugging Face Hub for tests: it serves files the
// test made, with the headers package hub reads, over loopback only.
package hubtest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Commit is the commit every revision of the fake Hub resolves to.
const Commit = "89abcdef0123456789abcdef0123456789abcdef"

// Use starts a fake Hub serving files and points the HF_* variables at it
// for t's duration: a fresh cache home, no token, not offline.
func Use(t testing.TB, files map[string][]byte) {
	t.Helper()
	t.Setenv("HF_ENDPOINT", New(t, files))
	t.Setenv("HF_HOME", t.TempDir())
	t.Setenv("HF_HUB_CACHE", "")
	t.Setenv("HF_TOKEN", "")
	t.Setenv("HF_HUB_OFFLINE", "")
}

// New serves files, keyed "org/model/path" for models and
// "datasets/org/name/path" for datasets, at any revision, and returns the
// endpoint to set as HF_ENDPOINT. Every file is served as an LFS file (its
// sha256 as X-Linked-Etag).
func New(t testing.TB, files map[string][]byte) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Split the escaped path: a revision may hold escaped slashes
		// (refs%2Fconvert%2Fparquet).
		raw := strings.TrimPrefix(r.URL.EscapedPath(), "/")
		if rest, ok := strings.CutPrefix(raw, "api/"); ok {
			tree(w, r, rest, files)
			return
		}
		rawRepo, rawRest, ok := strings.Cut(raw, "/resolve/")
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, rawFile, _ := strings.Cut(rawRest, "/")
		repo, _ := url.PathUnescape(rawRepo)
		file, _ := url.PathUnescape(rawFile)
		data, ok := files[repo+"/"+file]
		if !ok {
			http.NotFound(w, r)
			return
		}
		sum := sha256.Sum256(data)
		w.Header().Set("X-Repo-Commit", Commit)
		w.Header().Set("X-Linked-Etag", `"`+hex.EncodeToString(sum[:])+`"`)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TreePage is how many entries one answer of the fake tree listing holds: a
// few, so every listing test walks the pages as the Hub's Link headers ask.
const TreePage = 2

// tree answers /api/<kind>s/<repo>/tree/<rev>/<dir> (escaped) with the
// files under dir in sorted order, TreePage at a time from ?cursor=N, with a
// Link header to the next page as the Hub sends.
func tree(w http.ResponseWriter, r *http.Request, raw string, files map[string][]byte) {
	kind, rest, _ := strings.Cut(raw, "/")
	rawRepo, rest, _ := strings.Cut(rest, "/tree/")
	_, rawDir, _ := strings.Cut(rest, "/")
	repo, _ := url.PathUnescape(rawRepo)
	dir, _ := url.PathUnescape(rawDir)
	prefix := repo + "/"
	if kind == "datasets" {
		prefix = "datasets/" + prefix
	}
	type entry struct {
		Type string `json:"type"`
		Path string `json:"path"`
	}
	out := []entry{}
	for name := range files {
		if rel, ok := strings.CutPrefix(name, prefix); ok && (dir == "" || strings.HasPrefix(rel, dir+"/")) {
			out = append(out, entry{"file", rel})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	from, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
	from = min(max(from, 0), len(out))
	to := min(from+TreePage, len(out))
	if to < len(out) {
		next := *r.URL
		q := next.Query()
		q.Set("cursor", strconv.Itoa(to))
		next.RawQuery = q.Encode()
		w.Header().Set("Link", "<http://"+r.Host+next.RequestURI()+`>; rel="next"`)
	}
	_ = json.NewEncoder(w).Encode(out[from:to])
}
