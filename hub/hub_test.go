package hub

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const commit = "0123456789abcdef0123456789abcdef01234567"

// fakeHub serves files the test made the way the Hub does: HEAD on
// /<repo>/resolve/<rev>/<file> answers X-Repo-Commit and an ETag (LFS files:
// X-Linked-Etag = sha256 and a redirect to /cdn/<sha256>), GET serves the
// bytes with Range support, /api/<kind>s/<repo>/tree/<rev> lists them.
type fakeHub struct {
	files   map[string][]byte // "datasets/org/ds/file" or "org/model/file"
	lfs     map[string]bool
	corrupt bool // serve wrong bytes for LFS files
	endless bool // GET of an LFS file sends 1 MiB more than its size
	token   string
	cdn     string // storage host LFS files redirect to; "" = this server

	mu      sync.Mutex
	gets    int
	ranges  []string
	authSaw []string
}

func (f *fakeHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.authSaw = append(f.authSaw, r.Header.Get("Authorization"))
	f.mu.Unlock()
	if f.token != "" && r.Header.Get("Authorization") != "Bearer "+f.token {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	p := strings.TrimPrefix(r.URL.Path, "/")
	if rest, ok := strings.CutPrefix(p, "api/"); ok {
		f.tree(w, rest)
		return
	}
	if sha, ok := strings.CutPrefix(p, "cdn/"); ok {
		for name, data := range f.files {
			if hexSum(data) == sha {
				f.serve(w, r, name, data)
				return
			}
		}
		http.NotFound(w, r)
		return
	}
	repo, rest, ok := strings.Cut(p, "/resolve/")
	if !ok {
		http.NotFound(w, r)
		return
	}
	if repo == "old/model" { // renamed: the Hub redirects on itself
		http.Redirect(w, r, "/org/model/resolve/"+rest, http.StatusTemporaryRedirect)
		return
	}
	rev, file, _ := strings.Cut(rest, "/")
	if rev != "main" && rev != commit {
		http.NotFound(w, r)
		return
	}
	data, ok := f.files[repo+"/"+file]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("X-Repo-Commit", commit)
	if f.lfs[repo+"/"+file] {
		w.Header().Set("X-Linked-Etag", `"`+hexSum(data)+`"`)
		w.Header().Set("X-Linked-Size", fmt.Sprint(len(data)))
		w.Header().Set("Location", f.cdn+"/cdn/"+hexSum(data))
		w.WriteHeader(http.StatusFound)
		return
	}
	w.Header().Set("ETag", `W/"`+hexSum(data)[:40]+`"`)
	f.serve(w, r, repo+"/"+file, data)
}

func (f *fakeHub) serve(w http.ResponseWriter, r *http.Request, name string, data []byte) {
	if r.Method == http.MethodGet {
		f.mu.Lock()
		f.gets++
		f.ranges = append(f.ranges, r.Header.Get("Range"))
		f.mu.Unlock()
		if f.corrupt && f.lfs[name] {
			data = bytes.ToUpper(data)
		}
		if f.endless && f.lfs[name] {
			w.Write(data)
			w.Write(make([]byte, 1<<20))
			return
		}
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

func (f *fakeHub) tree(w http.ResponseWriter, p string) {
	// models/org/name/tree/main[/dir] or datasets/...
	kind, rest, _ := strings.Cut(p, "/")
	repo, rest, _ := strings.Cut(rest, "/tree/")
	_, dir, _ := strings.Cut(rest, "/")
	prefix := repo + "/"
	if kind == "datasets" {
		prefix = "datasets/" + prefix
	}
	type entry struct{ Type, Path string }
	var out []entry
	for name := range f.files {
		if rel, ok := strings.CutPrefix(name, prefix); ok && strings.HasPrefix(rel, dir) {
			out = append(out, entry{"file", rel})
		}
	}
	out = append(out, entry{"directory", dir})
	_ = json.NewEncoder(w).Encode(out)
}

func hexSum(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func newHub(t *testing.T, f *fakeHub) (*Client, *httptest.Server) {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return &Client{Endpoint: srv.URL, CacheDir: t.TempDir(), HTTP: srv.Client()}, srv
}

var big = bytes.Repeat([]byte("parquet bytes "), 5000)

func files() *fakeHub {
	return &fakeHub{
		files: map[string][]byte{
			"org/model/tokenizer.json":             []byte(`{"model":{}}`),
			"datasets/org/ds/clean/test/0.parquet": big,
			"datasets/org/ds/clean/test/1.parquet": []byte("second"),
			"datasets/org/ds/README.md":            []byte("card"),
		},
		lfs: map[string]bool{"datasets/org/ds/clean/test/0.parquet": true},
	}
}

func TestDownloadUsesTheHubCacheLayout(t *testing.T) {
	f := files()
	c, _ := newHub(t, f)
	ctx := context.Background()
	p, err := c.Download(ctx, Model, "org/model", "", "tokenizer.json")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(c.CacheDir, "models--org--model", "snapshots", commit, "tokenizer.json"); p != want {
		t.Errorf("path %s, want %s", p, want)
	}
	if b, _ := os.ReadFile(p); string(b) != `{"model":{}}` {
		t.Errorf("content %q", b)
	}
	if target, err := os.Readlink(p); err != nil || !strings.HasPrefix(target, "../../blobs/") {
		t.Errorf("snapshot entry is not a relative link into blobs: %q %v", target, err)
	}
	if ref, _ := os.ReadFile(filepath.Join(c.CacheDir, "models--org--model", "refs", "main")); string(ref) != commit {
		t.Errorf("refs/main = %q, want the commit", ref)
	}
	// A renamed repo's redirect is followed.
	if p, err := c.Download(ctx, Model, "old/model", "main", "tokenizer.json"); err != nil {
		t.Errorf("renamed repo: %v", err)
	} else if b, _ := os.ReadFile(p); string(b) != `{"model":{}}` {
		t.Errorf("renamed repo: content %q", b)
	}
	// An LFS file is fetched from the redirect and named by its sha256.
	p, err = c.Download(ctx, Dataset, "org/ds", "main", "clean/test/0.parquet")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(c.CacheDir, "datasets--org--ds", "blobs", hexSum(big))); err != nil {
		t.Errorf("LFS blob not named by its sha256: %v", err)
	}
	if b, _ := os.ReadFile(p); !bytes.Equal(b, big) {
		t.Error("LFS file content differs")
	}
	// A second download reuses the blob: no GET.
	gets := f.gets
	if _, err := c.Download(ctx, Dataset, "org/ds", "main", "clean/test/0.parquet"); err != nil {
		t.Fatal(err)
	}
	if f.gets != gets {
		t.Errorf("cached file downloaded again (%d GETs, had %d)", f.gets, gets)
	}
}

func TestOfflineAndUnreachableUseTheCache(t *testing.T) {
	f := files()
	c, srv := newHub(t, f)
	ctx := context.Background()
	c.Offline = true
	if _, err := c.Download(ctx, Model, "org/model", "main", "tokenizer.json"); !errors.Is(err, ErrNotCached) {
		t.Fatalf("offline, empty cache: err = %v, want ErrNotCached", err)
	}
	c.Offline = false
	if _, err := c.Download(ctx, Model, "org/model", "main", "tokenizer.json"); err != nil {
		t.Fatal(err)
	}
	c.Offline = true
	gets := f.gets
	p, err := c.Download(ctx, Model, "org/model", "main", "tokenizer.json")
	if err != nil || f.gets != gets {
		t.Fatalf("offline with the file cached: %v (%d requests)", err, f.gets-gets)
	}
	if p2, err := c.Download(ctx, Model, "org/model", commit, "tokenizer.json"); err != nil || p2 != p {
		t.Errorf("offline by commit: %s %v", p2, err)
	}
	c.Offline = false
	srv.Close() // the Hub goes away: the cached copy still serves
	if p2, err := c.Download(ctx, Model, "org/model", "main", "tokenizer.json"); err != nil || p2 != p {
		t.Errorf("unreachable with the file cached: %s %v", p2, err)
	}
	if _, err := c.Download(ctx, Model, "org/model", "main", "other.json"); !errors.Is(err, ErrNotCached) {
		t.Errorf("unreachable, not cached: err = %v, want ErrNotCached", err)
	}
}

// A part left as .incomplete is resumed with a Range from its end: half the
// file, or the whole of it (a run stopped between the last byte and the
// rename), which the Hub's 416 to the Range finishes: verified and kept, not
// refused for the bytes of the 416's error text and downloaded again.
func TestDownloadResumesAPart(t *testing.T) {
	for _, part := range []int{len(big) / 2, len(big)} {
		f := files()
		c, _ := newHub(t, f)
		blobs := filepath.Join(c.CacheDir, "datasets--org--ds", "blobs")
		if err := os.MkdirAll(blobs, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(blobs, hexSum(big)+".incomplete"), big[:part], 0o644); err != nil {
			t.Fatal(err)
		}
		p, err := c.Download(context.Background(), Dataset, "org/ds", "main", "clean/test/0.parquet")
		if err != nil {
			t.Fatalf("a part of %d bytes: %v", part, err)
		}
		if b, _ := os.ReadFile(p); !bytes.Equal(b, big) {
			t.Errorf("a part of %d bytes: the resumed file differs", part)
		}
		if want := fmt.Sprintf("bytes=%d-", part); len(f.ranges) != 1 || f.ranges[0] != want {
			t.Errorf("a part of %d bytes: Range headers %q, want one %q", part, f.ranges, want)
		}
	}
}

// A file whose bytes are not its LFS sha256 is refused and leaves nothing in
// the cache.
func TestDownloadVerifies(t *testing.T) {
	f := files()
	f.corrupt = true
	c, _ := newHub(t, f)
	_, err := c.Download(context.Background(), Dataset, "org/ds", "main", "clean/test/0.parquet")
	if err == nil || !strings.Contains(err.Error(), "sha256") {
		t.Fatalf("corrupt download: err = %v, want a sha256 mismatch", err)
	}
	left, _ := filepath.Glob(filepath.Join(c.CacheDir, "datasets--org--ds", "blobs", "*"))
	if len(left) != 0 {
		t.Errorf("corrupt download left %v in the cache", left)
	}
}

// A server sending more than the file's size fills no disk: the download
// stops one byte past the size, and the file is refused.
func TestDownloadStopsPastTheSize(t *testing.T) {
	f := files()
	f.endless = true
	c, _ := newHub(t, f)
	_, err := c.Download(context.Background(), Dataset, "org/ds", "main", "clean/test/0.parquet")
	if want := fmt.Sprintf("got %d bytes, want %d", len(big)+1, len(big)); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v, want %q", err, want)
	}
}

func TestTokenIsSentAndNeverShown(t *testing.T) {
	f := files()
	f.token = "hf_secret"
	c, _ := newHub(t, f)
	_, err := c.Download(context.Background(), Model, "org/model", "main", "tokenizer.json")
	if err == nil || !strings.Contains(err.Error(), "HF_TOKEN") || strings.Contains(err.Error(), "hf_secret") {
		t.Fatalf("no token: err = %v, want one naming HF_TOKEN", err)
	}
	c.Token = "hf_secret"
	if _, err := c.Download(context.Background(), Model, "org/model", "main", "tokenizer.json"); err != nil {
		t.Fatal(err)
	}
	// An LFS file redirects to a storage host: the token is not sent there.
	var cdnAuth []string
	cdn := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cdnAuth = append(cdnAuth, r.Header.Get("Authorization"))
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(big))
	}))
	defer cdn.Close()
	f.cdn = cdn.URL
	if _, err := c.Download(context.Background(), Dataset, "org/ds", "main", "clean/test/0.parquet"); err != nil {
		t.Fatal(err)
	}
	if len(cdnAuth) != 1 || cdnAuth[0] != "" {
		t.Errorf("storage host got Authorization %q, want none", cdnAuth)
	}
	if strings.Contains(c.String(), "hf_secret") {
		t.Errorf("String() shows the token: %s", c)
	}
}

func TestList(t *testing.T) {
	c, _ := newHub(t, files())
	ctx := context.Background()
	got, err := c.List(ctx, Dataset, "org/ds", "main", "clean/test")
	if err != nil || strings.Join(got, ",") != "clean/test/0.parquet,clean/test/1.parquet" {
		t.Fatalf("List = %v, %v", got, err)
	}
	for _, name := range got {
		if _, err := c.Download(ctx, Dataset, "org/ds", "main", name); err != nil {
			t.Fatal(err)
		}
	}
	c.Offline = true
	if got2, err := c.List(ctx, Dataset, "org/ds", "main", "clean/test"); err != nil || strings.Join(got2, ",") != strings.Join(got, ",") {
		t.Errorf("offline List = %v, %v; want %v", got2, err, got)
	}
}

func TestFromEnv(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HF_HOME", home)
	t.Setenv("HF_HUB_CACHE", "")
	t.Setenv("HF_ENDPOINT", "http://127.0.0.1:1/")
	t.Setenv("HF_TOKEN", "")
	t.Setenv("HF_TOKEN_PATH", "")
	t.Setenv("HF_HUB_OFFLINE", "yes")
	if err := os.WriteFile(filepath.Join(home, "token"), []byte("hf_file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if c.Endpoint != "http://127.0.0.1:1" || c.CacheDir != filepath.Join(home, "hub") || !c.Offline || c.Token != "hf_file" {
		t.Errorf("FromEnv = %s, token %q", c, c.Token)
	}
	t.Setenv("HF_HUB_CACHE", "/elsewhere")
	t.Setenv("HF_TOKEN", "hf_env")
	if c, _ := FromEnv(); c.CacheDir != "/elsewhere" || c.Token != "hf_env" {
		t.Errorf("HF_HUB_CACHE / HF_TOKEN ignored: %s %q", c, c.Token)
	}
	t.Setenv("HF_HUB_OFFLINE", "maybe")
	if _, err := FromEnv(); err == nil || !strings.Contains(err.Error(), "HF_HUB_OFFLINE") {
		t.Errorf("bad HF_HUB_OFFLINE: err = %v", err)
	}
}

func TestProgressBar(t *testing.T) {
	var out bytes.Buffer
	f := files()
	c, _ := newHub(t, f)
	c.Progress = &out
	if _, err := c.Download(context.Background(), Dataset, "org/ds", "main", "clean/test/0.parquet"); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "100%") || !strings.HasSuffix(s, "\n") {
		t.Errorf("progress output %q", s)
	}
}

// A repo, file or revision that would name a path outside the cache is refused
// before any request: the revision names a file under refs/.
func TestDownloadRefusesPathsOutOfTheCache(t *testing.T) {
	for _, tc := range []struct{ repo, revision, file string }{
		{"org/model", "../../../escaped", "tokenizer.json"},
		{"org/model", "refs/../../x", "tokenizer.json"},
		{"org/model", "main", "../tokenizer.json"},
		{"org/../model", "main", "tokenizer.json"},
		{"org/model", "main/", "tokenizer.json"},
	} {
		f := files()
		c, _ := newHub(t, f)
		if _, err := c.Download(context.Background(), Model, tc.repo, tc.revision, tc.file); err == nil || !strings.Contains(err.Error(), "bad repo") {
			t.Errorf("%+v: err = %v, want a refusal", tc, err)
		}
		if len(f.authSaw) != 0 {
			t.Errorf("%+v: %d requests sent before the refusal", tc, len(f.authSaw))
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(c.CacheDir), "escaped")); err == nil {
			t.Errorf("%+v: a file was written outside the cache", tc)
		}
	}
	// Hugging Face's pull-request branches keep their slashes.
	c, _ := newHub(t, files())
	if _, err := c.Download(context.Background(), Model, "org/model", "refs/pr/1", "tokenizer.json"); err != nil && strings.Contains(err.Error(), "bad repo") {
		t.Errorf("refs/pr/1 refused: %v", err)
	}
}
