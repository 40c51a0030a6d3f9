package tokens

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/hub"
)

// Source says where a run's tokenizer comes from, as AIPerf's flags do.
type Source struct {
	Tokenizer string   // --tokenizer: a local path, a Hub repo id, or empty
	Revision  string   // --tokenizer-revision: branch, tag or commit of the repo
	Models    []string // --model: the first is the default repo, as in AIPerf
	Mock      bool     // --mock: the model names are made up, never looked up
	// ChatTemplate (--apply-chat-template) also loads the tokenizer's chat
	// template, so the counter is a ChatCounter that uses it.
	ChatTemplate bool
}

// Resolve returns the counter of a run. A --tokenizer that exists locally (a
// tokenizer.json or a directory holding one) is loaded as it is. Otherwise the
// repo it names, or the first model name when --tokenizer is empty, has its
// tokenizer.json fetched from the Hugging Face Hub through c (cache, mirror,
// token, offline mode). When that fails because the Hub cannot be reached, the
// file is not cached offline, or the repo has no tokenizer.json, the counter
// falls back to Words (the server's usage counts are then used when it sends
// them) and warning says so in one line. A bad local or downloaded file is an
// error. With --mock and no --tokenizer, Words is used and nothing is fetched.
// With src.ChatTemplate the tokenizer's chat template (tokenizer_config.json
// or chat_template.jinja beside tokenizer.json, fetched with it) is attached;
// without one, a warning says the bare text is counted.
func Resolve(ctx context.Context, src Source, c *hub.Client) (Counter, string, error) {
	name := src.Tokenizer
	if name != "" {
		if _, err := os.Stat(name); err == nil || isLocalPath(name) {
			h, err := LoadHF(name)
			if err != nil {
				return nil, "", err
			}
			return h, withChatTemplate(ctx, h, src, name, nil), nil
		}
	} else {
		if src.Mock || len(src.Models) == 0 || !isRepoID(src.Models[0]) {
			return Words{}, noChatTemplate(src, "no Hugging Face tokenizer (give --tokenizer)"), nil
		}
		name = src.Models[0]
	}
	if c == nil {
		return Words{}, joinWarnings(fmt.Sprintf("tokenizer %s: no Hugging Face Hub client; counting words (server usage when sent)", name), noChatTemplate(src, "no Hugging Face tokenizer (give --tokenizer)")), nil
	}
	path, err := c.Download(ctx, hub.Model, name, src.Revision, "tokenizer.json")
	if err != nil {
		if errors.Is(err, hub.ErrNotCached) || strings.Contains(err.Error(), "not found") || strings.Contains(err.Error(), "HF_TOKEN") {
			return Words{}, joinWarnings(fmt.Sprintf("tokenizer %s: %v; counting words instead (server usage counts when the server sends them)", name, err), noChatTemplate(src, "no Hugging Face tokenizer (give --tokenizer)")), nil
		}
		return nil, "", fmt.Errorf("--tokenizer %s: %w", name, err)
	}
	h, err := LoadHF(path)
	if err != nil {
		return nil, "", err
	}
	h.name = "tokenizer:" + name
	var fetchErr error // a failed download other than an absent file
	if src.ChatTemplate {
		// Beside tokenizer.json in the cache's snapshot, where LoadChatTemplate looks.
		for _, f := range []string{"tokenizer_config.json", "chat_template.jinja"} {
			if _, err := c.Download(ctx, hub.Model, name, src.Revision, f); err != nil && !errors.Is(err, hub.ErrNotFound) && fetchErr == nil {
				fetchErr = err // absent: no template, said below
			}
		}
	}
	return h, withChatTemplate(ctx, h, src, path, fetchErr), nil
}

// isLocalPath reports whether name can only mean a file: absolute, or
// starting with ./ or ../, or ending in .json.
func isLocalPath(name string) bool {
	return strings.HasPrefix(name, "/") || strings.HasPrefix(name, "./") || strings.HasPrefix(name, "../") || strings.HasSuffix(name, ".json")
}

// isRepoID reports whether name looks like a Hub repo id: "org/name", both
// parts made of letters, digits, '-', '_' and '.'.
func isRepoID(name string) bool {
	org, repo, ok := strings.Cut(name, "/")
	if !ok || org == "" || repo == "" || strings.Contains(repo, "/") {
		return false
	}
	for _, r := range org + repo {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return !strings.Contains(name, "..")
}
