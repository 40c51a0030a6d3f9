// Package hub downloads files of Hugging Face Hub repositories (models and
// datasets) into the Hub's own cache layout, so a cache filled by the Python
// tools (huggingface_hub, transformers, datasets) is reused here and the
// other way round:
//
//	$HF_HUB_CACHE/models--org--name/
//	    blobs/<etag>                   file contents, named by ETag (sha256 for LFS files)
//	    refs/<revision>                the commit a branch or tag pointed to
//	    snapshots/<commit>/<path>      symlinks to ../../blobs/<etag>
//
// Settings come from the same variables as huggingface_hub: HF_ENDPOINT (a
// mirror), HF_TOKEN (sent as a bearer token, never logged), HF_HOME and
// HF_HUB_CACHE (where the cache is), HF_HUB_OFFLINE (cache only). An
// interrupted download resumes from its .incomplete file with a Range
// request, and a file whose ETag is a sha256 (LFS) is checked against it.
package hub

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// DefaultEndpoint is the public Hub.
const DefaultEndpoint = "https://huggingface.co"

// Repo types, as the Hub's URLs and cache folders name them.
const (
	Model   = "model"
	Dataset = "dataset"
)

// Client reads files from a Hub (or mirror) through the local cache.
type Client struct {
	Endpoint string // without trailing slash
	Token    string // bearer token; empty sends none
	CacheDir string // the hub cache: $HF_HUB_CACHE
	Offline  bool   // never use the network, only the cache
	HTTP     *http.Client
	// Progress, when set, receives a one-line progress bar per download
	// (give it a terminal only).
	Progress io.Writer
}

// FromEnv builds a client from the environment as huggingface_hub reads it.
// The token is HF_TOKEN, else the file HF_TOKEN_PATH, else $HF_HOME/token.
func FromEnv() (*Client, error) {
	c := &Client{Endpoint: strings.TrimRight(os.Getenv("HF_ENDPOINT"), "/"), HTTP: http.DefaultClient}
	if c.Endpoint == "" {
		c.Endpoint = DefaultEndpoint
	}
	home := os.Getenv("HF_HOME")
	if home == "" {
		base := os.Getenv("XDG_CACHE_HOME")
		if base == "" {
			userHome, err := os.UserHomeDir()
			if err != nil {
				return nil, fmt.Errorf("hub: no HF_HOME and no home directory: %w", err)
			}
			base = filepath.Join(userHome, ".cache")
		}
		home = filepath.Join(base, "huggingface")
	}
	c.CacheDir = os.Getenv("HF_HUB_CACHE")
	if c.CacheDir == "" {
		c.CacheDir = filepath.Join(home, "hub")
	}
	offline, err := envBool("HF_HUB_OFFLINE")
	if err != nil {
		return nil, err
	}
	c.Offline = offline
	c.Token = strings.TrimSpace(os.Getenv("HF_TOKEN"))
	if c.Token == "" {
		path := os.Getenv("HF_TOKEN_PATH")
		if path == "" {
			path = filepath.Join(home, "token")
		}
		if b, err := os.ReadFile(path); err == nil {
			c.Token = strings.TrimSpace(string(b))
		}
	}
	return c, nil
}

// envBool reads a huggingface_hub boolean variable: 1, ON, YES, TRUE (any
// case) are true; 0, OFF, NO, FALSE and empty are false.
func envBool(name string) (bool, error) {
	switch strings.ToUpper(strings.TrimSpace(os.Getenv(name))) {
	case "1", "ON", "YES", "TRUE":
		return true, nil
	case "", "0", "OFF", "NO", "FALSE":
		return false, nil
	}
	return false, fmt.Errorf("%s=%q: want 1 or 0 (true/false, yes/no, on/off)", name, os.Getenv(name))
}

// String describes the client without its token.
func (c *Client) String() string {
	return fmt.Sprintf("hub %s (cache %s, offline %v, token set %v)", c.Endpoint, c.CacheDir, c.Offline, c.Token != "")
}

// repoFolder is the cache folder of a repo: models--org--name.
func repoFolder(kind, repo string) string {
	return kind + "s--" + strings.ReplaceAll(repo, "/", "--")
}

// urlPrefix is the path of a repo on the Hub: org/name or datasets/org/name.
func urlPrefix(kind, repo string) string {
	if kind == Dataset {
		return "datasets/" + repo
	}
	return repo
}
