package profile

import (
	"context"
	"os"

	"github.com/aiperf-exporter/aiperf-exporter/hub"
	"github.com/aiperf-exporter/aiperf-exporter/internal/term"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// openTokenizer resolves --tokenizer as AIPerf does (default: the first model
// name, from the Hugging Face Hub), with its chat template for
// --apply-chat-template; warning is one line when it fell back to counting
// words or found no template.
func openTokenizer(ctx context.Context, o *options.Options, chatTemplate bool) (tokens.Counter, string, error) {
	c, err := hub.FromEnv()
	if err != nil {
		return nil, "", err
	}
	if term.IsTerminal(os.Stderr) {
		c.Progress = os.Stderr // a download bar, on a terminal only
	}
	return tokens.Resolve(ctx, tokens.Source{Tokenizer: o.Tokenizer, Revision: o.TokenizerRevision, Models: o.Models, Mock: o.Mock, ChatTemplate: chatTemplate}, c)
}
