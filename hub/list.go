package hub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/internal/redact"
)

// List returns the paths of the files under dir (recursively; "" is the whole
// repo) at revision, sorted. Offline, or with the Hub unreachable, it lists
// the cached snapshot instead, which holds only the files downloaded before.
func (c *Client) List(ctx context.Context, kind, repo, revision, dir string) ([]string, error) {
	if revision == "" {
		revision = "main"
	}
	if c.Offline {
		return c.listCached(kind, repo, revision, dir)
	}
	u := fmt.Sprintf("%s/api/%ss/%s/tree/%s", c.Endpoint, kind, repo, url.PathEscape(revision))
	if dir != "" {
		u += "/" + escapePath(dir)
	}
	u += "?recursive=true"
	var files []string
	for page := 0; u != ""; page++ {
		if page == maxTreePages {
			return nil, fmt.Errorf("hub: list %s/%s: more than %d pages", repo, dir, maxTreePages)
		}
		var next string
		var err error
		files, next, err = c.listPage(ctx, u, files)
		if err != nil {
			var unreachable *unreachableError
			if errors.As(err, &unreachable) && page == 0 {
				if files, cerr := c.listCached(kind, repo, revision, dir); cerr == nil {
					return files, nil
				}
				return nil, fmt.Errorf("%w; %w", err, ErrNotCached)
			}
			return nil, fmt.Errorf("hub: list %s/%s at %s: %w", repo, dir, revision, err)
		}
		u = next
	}
	sort.Strings(files)
	return files, nil
}

// maxTreePages bounds a listing's pages (the Hub sends some thousand entries
// a page): a server that links pages forever cannot hold a run.
const maxTreePages = 1000

// listPage appends the files of one page of a tree listing to files and
// returns the next page's URL from the Link header ("" on the last page),
// as huggingface_hub's paginate follows it. The next page must be on the
// endpoint's own scheme and host: the request carries HF_TOKEN.
func (c *Client) listPage(ctx context.Context, u string, files []string) ([]string, string, error) {
	req, err := c.newRequest(ctx, http.MethodGet, u)
	if err != nil {
		return files, "", err
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return files, "", &unreachableError{err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return files, "", fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	var entries []struct {
		Type string `json:"type"`
		Path string `json:"path"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(&entries); err != nil {
		return files, "", fmt.Errorf("bad answer: %w", err)
	}
	for _, e := range entries {
		if e.Type == "file" {
			files = append(files, e.Path)
		}
	}
	next := nextLink(resp.Header.Values("Link"))
	if next == "" {
		return files, "", nil
	}
	nu, err := resp.Request.URL.Parse(next)
	base, berr := url.Parse(c.Endpoint)
	if err != nil || berr != nil || nu.Scheme != base.Scheme || nu.Host != base.Host {
		return files, "", fmt.Errorf("the next page's link %q is not on %s", redact.URL(next), c.Endpoint)
	}
	return files, nu.String(), nil
}

// nextLink is the URL of the rel="next" link of Link header values (RFC 8288).
func nextLink(values []string) string {
	for _, v := range values {
		for _, link := range strings.Split(v, ",") {
			target, params, ok := strings.Cut(strings.TrimSpace(link), ";")
			if !ok || !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
				continue
			}
			for _, p := range strings.Split(params, ";") {
				k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
				if strings.EqualFold(k, "rel") && slices.Contains(strings.Fields(strings.Trim(val, `"`)), "next") {
					return strings.TrimSuffix(strings.TrimPrefix(target, "<"), ">")
				}
			}
		}
	}
	return ""
}

// listCached lists the files of the cached snapshot of revision under dir.
func (c *Client) listCached(kind, repo, revision, dir string) ([]string, error) {
	p, err := c.cached(kind, repo, revision, ".") // the snapshot folder
	if err != nil {
		return nil, fmt.Errorf("hub: %s at %s: %w", repo, revision, ErrNotCached)
	}
	root := filepath.Clean(p)
	var files []string
	walkErr := filepath.WalkDir(filepath.Join(root, filepath.FromSlash(dir)), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			files = append(files, path.Clean(filepath.ToSlash(rel)))
		}
		return nil
	})
	if walkErr != nil || len(files) == 0 {
		return nil, fmt.Errorf("hub: %s/%s at %s: %w", repo, strings.TrimSuffix(dir, "/"), revision, ErrNotCached)
	}
	sort.Strings(files)
	return files, nil
}
