package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"path/filepath"
	"sort"
	"strings"
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
	req, err := c.newRequest(ctx, http.MethodGet, u+"?recursive=true")
	if err != nil {
		return nil, err
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		if files, cerr := c.listCached(kind, repo, revision, dir); cerr == nil {
			return files, nil
		}
		return nil, fmt.Errorf("%w; %w", &unreachableError{err}, ErrNotCached)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("hub: list %s/%s at %s: HTTP %d", repo, dir, revision, resp.StatusCode)
	}
	var entries []struct {
		Type string `json:"type"`
		Path string `json:"path"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(&entries); err != nil {
		return nil, fmt.Errorf("hub: list %s/%s: bad answer: %w", repo, dir, err)
	}
	var files []string
	for _, e := range entries {
		if e.Type == "file" {
			files = append(files, e.Path)
		}
	}
	sort.Strings(files)
	return files, nil
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
