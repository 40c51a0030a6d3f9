package hub

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// ErrNotCached is returned offline (or with the Hub unreachable) when the
// cache does not hold the file at that revision.
var ErrNotCached = errors.New("not in the local Hugging Face cache")

// ErrNotFound is wrapped by the error for a file the Hub does not have.
var ErrNotFound = errors.New("not found")

var commitRE = regexp.MustCompile(`^[0-9a-f]{40}$`)
var sha256RE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Download returns the local path of file in repo (kind Model or Dataset) at
// revision (a branch, tag or commit; "" is main), downloading it into the
// cache unless it is there. Offline, or when the Hub cannot be reached, the
// cached copy is used if there is one; the error then wraps ErrNotCached.
func (c *Client) Download(ctx context.Context, kind, repo, revision, file string) (string, error) {
	if revision == "" {
		revision = "main"
	}
	if err := checkName(repo, file, revision); err != nil {
		return "", err
	}
	if c.Offline {
		return c.cached(kind, repo, revision, file)
	}
	meta, err := c.head(ctx, kind, repo, revision, file)
	var unreachable *unreachableError
	if errors.As(err, &unreachable) {
		if p, cerr := c.cached(kind, repo, revision, file); cerr == nil {
			return p, nil
		}
		return "", fmt.Errorf("%w; %w", err, ErrNotCached)
	}
	if err != nil {
		return "", err
	}
	dir := filepath.Join(c.CacheDir, repoFolder(kind, repo))
	blob := filepath.Join(dir, "blobs", meta.etag)
	if _, err := os.Stat(blob); err != nil {
		if err := c.fetch(ctx, meta, blob); err != nil {
			return "", err
		}
	}
	if revision != meta.commit {
		if err := writeFile(filepath.Join(dir, "refs", filepath.FromSlash(revision)), []byte(meta.commit)); err != nil {
			return "", err
		}
	}
	link := filepath.Join(dir, "snapshots", meta.commit, filepath.FromSlash(file))
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		return "", fmt.Errorf("hub: %w", err)
	}
	rel, err := filepath.Rel(filepath.Dir(link), blob)
	if err != nil {
		return "", fmt.Errorf("hub: %w", err)
	}
	_ = os.Remove(link)
	if err := os.Symlink(rel, link); err != nil {
		return "", fmt.Errorf("hub: link %s: %w", link, err)
	}
	return link, nil
}

// checkName refuses names that would leave the cache folder: the repo and
// file name paths in it, and a revision names a file under refs/ (a branch
// such as "refs/pr/1" has slashes, as in Hugging Face's own cache).
func checkName(repo, file, revision string) error {
	for _, name := range []string{repo, file, revision} {
		for _, p := range strings.Split(name, "/") {
			if p == "" || p == "." || p == ".." {
				return fmt.Errorf("hub: bad repo %q, file %q or revision %q", repo, file, revision)
			}
		}
	}
	return nil
}

// cached finds file at revision in the cache.
func (c *Client) cached(kind, repo, revision, file string) (string, error) {
	dir := filepath.Join(c.CacheDir, repoFolder(kind, repo))
	commit := revision
	if !commitRE.MatchString(revision) {
		b, err := os.ReadFile(filepath.Join(dir, "refs", filepath.FromSlash(revision)))
		if err != nil {
			return "", fmt.Errorf("hub: %s %s at %s: %w", repo, file, revision, ErrNotCached)
		}
		commit = strings.TrimSpace(string(b))
	}
	p := filepath.Join(dir, "snapshots", commit, filepath.FromSlash(file))
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("hub: %s %s at %s: %w", repo, file, revision, ErrNotCached)
	}
	return p, nil
}

// fileMeta is what a HEAD of the resolve URL says about a file.
type fileMeta struct {
	url    string // where to GET it (after the Hub's redirect for LFS files)
	commit string
	etag   string // blob name; a sha256 for LFS files
	size   int64
}

// unreachableError is a failure to reach the Hub at all (not an HTTP answer).
type unreachableError struct{ err error }

func (e *unreachableError) Error() string { return "hub unreachable: " + e.err.Error() }
func (e *unreachableError) Unwrap() error { return e.err }

// resolveURL is the URL of file in repo at revision.
func (c *Client) resolveURL(kind, repo, revision, file string) string {
	return fmt.Sprintf("%s/%s/resolve/%s/%s", c.Endpoint, urlPrefix(kind, repo), url.PathEscape(revision), escapePath(file))
}

func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i := range parts {
		parts[i] = url.PathEscape(parts[i])
	}
	return strings.Join(parts, "/")
}

func (c *Client) newRequest(ctx context.Context, method, u string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return nil, fmt.Errorf("hub: %w", err)
	}
	// The token goes to the Hub itself only, never to the storage host an
	// LFS file redirects to.
	if c.Token != "" && sameHost(req.URL, c.Endpoint) {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	req.Header.Set("User-Agent", "aiperf-exporter")
	return req, nil
}

// head asks the Hub for a file's commit, ETag and size without following the
// redirect of LFS files (whose X-Linked-Etag is the content's sha256).
func (c *Client) head(ctx context.Context, kind, repo, revision, file string) (fileMeta, error) {
	u := c.resolveURL(kind, repo, revision, file)
	hc := *c.httpClient()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	var req *http.Request
	var resp *http.Response
	// A renamed repo answers with a redirect on the Hub itself (no commit
	// header): follow those; a redirect with the file's metadata is an LFS
	// file's storage URL, kept for the download.
	for hops := 0; ; hops++ {
		var err error
		if req, err = c.newRequest(ctx, http.MethodHead, u); err != nil {
			return fileMeta{}, err
		}
		if resp, err = hc.Do(req); err != nil {
			return fileMeta{}, &unreachableError{err}
		}
		resp.Body.Close()
		next, err := req.URL.Parse(resp.Header.Get("Location"))
		if resp.StatusCode < 300 || resp.StatusCode >= 400 || resp.Header.Get("X-Repo-Commit") != "" ||
			err != nil || !sameHost(next, c.Endpoint) || hops == 5 {
			break
		}
		u = next.String()
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return fileMeta{}, fmt.Errorf("hub: %s %s: HTTP %d (gated or private: set HF_TOKEN)", repo, file, resp.StatusCode)
	case resp.StatusCode == http.StatusNotFound:
		return fileMeta{}, fmt.Errorf("hub: %s %s at %s: %w", repo, file, revision, ErrNotFound)
	case resp.StatusCode >= 400:
		return fileMeta{}, fmt.Errorf("hub: %s %s: HTTP %d", repo, file, resp.StatusCode)
	}
	m := fileMeta{url: u, commit: resp.Header.Get("X-Repo-Commit")}
	m.etag = cleanETag(resp.Header.Get("X-Linked-Etag"))
	if m.etag == "" {
		m.etag = cleanETag(resp.Header.Get("ETag"))
	}
	size := resp.Header.Get("X-Linked-Size")
	if size == "" {
		size = resp.Header.Get("Content-Length")
	}
	m.size, _ = strconv.ParseInt(size, 10, 64)
	if loc := resp.Header.Get("Location"); resp.StatusCode >= 300 && loc != "" {
		next, err := req.URL.Parse(loc)
		if err != nil {
			return fileMeta{}, fmt.Errorf("hub: %s %s: bad redirect %q", repo, file, loc)
		}
		m.url = next.String()
	}
	if !commitRE.MatchString(m.commit) || m.etag == "" || strings.ContainsAny(m.etag, `/\`) {
		return fileMeta{}, fmt.Errorf("hub: %s %s: the server sent no commit or ETag (is %s a Hugging Face Hub?)", repo, file, c.Endpoint)
	}
	return m, nil
}

// sameHost reports whether u is on the host of endpoint.
func sameHost(u *url.URL, endpoint string) bool {
	e, err := url.Parse(endpoint)
	return err == nil && strings.EqualFold(e.Host, u.Host) && e.Scheme == u.Scheme
}

func cleanETag(e string) string {
	return strings.Trim(strings.TrimPrefix(strings.TrimSpace(e), "W/"), `"`)
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return http.DefaultClient
}

// fetch downloads meta's file into blob, resuming blob.incomplete with a
// Range request, and checks an LFS file's sha256.
func (c *Client) fetch(ctx context.Context, meta fileMeta, blob string) error {
	part := blob + ".incomplete"
	if err := os.MkdirAll(filepath.Dir(blob), 0o755); err != nil {
		return fmt.Errorf("hub: %w", err)
	}
	f, err := os.OpenFile(part, os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("hub: %w", err)
	}
	defer f.Close()
	have, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return fmt.Errorf("hub: %w", err)
	}
	req, err := c.newRequest(ctx, http.MethodGet, meta.url)
	if err != nil {
		return err
	}
	if have > 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", have))
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return fmt.Errorf("hub: download %s: %w", meta.url, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusPartialContent:
	case resp.StatusCode == http.StatusOK: // no range support: start over
		if err := f.Truncate(0); err != nil {
			return fmt.Errorf("hub: %w", err)
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("hub: %w", err)
		}
		have = 0
	case resp.StatusCode == http.StatusRequestedRangeNotSatisfiable && have == meta.size:
	default:
		return fmt.Errorf("hub: download %s: HTTP %d", meta.url, resp.StatusCode)
	}
	// A 416 to a whole part has nothing to add (its body is error text). A
	// server sending more than the file's size (or than maxDownloadBytes when
	// the size is unknown) fills no disk: one byte over is enough for verify.
	if resp.StatusCode != http.StatusRequestedRangeNotSatisfiable {
		limit := int64(maxDownloadBytes)
		if meta.size > 0 {
			limit = meta.size - have + 1
		}
		bar := newProgress(c.Progress, filepath.Base(meta.url), have, meta.size)
		_, err = io.Copy(f, io.TeeReader(io.LimitReader(resp.Body, limit), bar))
		bar.done()
		if err != nil {
			return fmt.Errorf("hub: download %s: %w (resumes on the next run)", meta.url, err)
		}
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("hub: %w", err)
	}
	if err := verify(part, meta); err != nil {
		_ = os.Remove(part)
		return err
	}
	return os.Rename(part, blob)
}

// maxDownloadBytes bounds a download whose size the Hub did not say.
const maxDownloadBytes = 8 << 30

// verify checks the downloaded file's size and, for LFS files (a sha256
// ETag), its sha256.
func verify(path string, meta fileMeta) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("hub: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return fmt.Errorf("hub: %w", err)
	}
	if meta.size > 0 && n != meta.size {
		return fmt.Errorf("hub: %s: got %d bytes, want %d", meta.url, n, meta.size)
	}
	if sha256RE.MatchString(meta.etag) {
		if sum := hex.EncodeToString(h.Sum(nil)); sum != meta.etag {
			return fmt.Errorf("hub: %s: sha256 %s, want %s (corrupt download, removed)", meta.url, sum, meta.etag)
		}
	}
	return nil
}

// writeFile writes data to path, making its directory.
func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("hub: %w", err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("hub: %w", err)
	}
	return nil
}
