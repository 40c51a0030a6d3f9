// Package wandb uploads a finished profile run to Weights & Biases, as
// AIPerf's --wandb-project does: one run with the settings as its config,
// AIPerf's tags, the console's summary statistics as a logged table and the
// export files as its aiperf-run artifact. It speaks the HTTP API the wandb
// client itself uses: GraphQL at <base>/graphql (upsertBucket,
// createRunFiles, the artifact mutations), the signed upload URLs those
// return, and the run's file stream (<base>/files/.../file_stream).
package wandb

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/aiperf-exporter/aiperf-exporter/internal/redact"
)

// DefaultBaseURL is the W&B cloud API, the wandb client's WANDB_BASE_URL default.
const DefaultBaseURL = "https://api.wandb.ai"

// maxTagLen is W&B's limit on a run tag, which the wandb client checks.
const maxTagLen = 64

// Config is the checked form of the --wandb-* flags.
type Config struct {
	BaseURL string // WANDB_BASE_URL: the W&B server's http(s) URL
	Project string
	Entity  string // empty: the API key's default entity
	RunName string // the display name; empty: aiperf-<unix seconds>
	Tags    []string
	APIKey  string // WANDB_API_KEY; never logged
}

// CheckBaseURL accepts a W&B server's http(s) URL (WANDB_BASE_URL).
func CheckBaseURL(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return DefaultBaseURL, nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%q is not a W&B server's http(s) URL", redact.URL(raw))
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil { // paths are appended to it; the key is WANDB_API_KEY's
		return "", fmt.Errorf("%q: a W&B server's URL has no query, fragment or user info", redact.URL(raw))
	}
	return strings.TrimRight(s, "/"), nil
}

// CheckTags trims the run tags and refuses empty and over-long ones, as
// the wandb client refuses them.
func CheckTags(tags []string) ([]string, error) {
	var out []string
	for _, t := range tags {
		t = strings.TrimSpace(t)
		switch {
		case t == "":
			return nil, fmt.Errorf("entries cannot be empty")
		case utf8.RuneCountInString(t) > maxTagLen:
			return nil, fmt.Errorf("%q is longer than W&B's %d characters", t, maxTagLen)
		}
		out = append(out, t)
	}
	return out, nil
}
