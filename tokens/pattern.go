package tokens

import (
	"fmt"

	"github.com/dlclark/regexp2/v2"
	"github.com/sugarme/tokenizer/normalizer"
)

// regexPattern is a Split pattern compiled with github.com/dlclark/regexp2, a
// backtracking engine with .NET/Perl syntax, instead of Go's regexp.
//
// Why regexp2 rather than rewriting the one construct Go lacks: Hugging Face
// compiles these patterns with Oniguruma, and two things differ in Go's
// regexp, not one. The look-ahead `\s+(?!\S)` of Qwen2 and Llama 3 cannot be
// compiled at all, and `\s` is ASCII-only in Go ([\t\n\f\r ]), so an Oniguruma
// pattern run by Go splits "a\u00a0b" or "a\u3000b" (no-break and
// ideographic space) differently. In regexp2, as in Oniguruma, `\s` is Unicode
// white space ([\t\n\v\f\r\x85\p{Z}]), `\p{L}`/`\p{N}` are Unicode categories,
// alternation is leftmost-first with backtracking, and look-around works, so
// any pattern a tokenizer.json carries runs unchanged. A hand rewrite of
// `\s+(?!\S)` would only cover the patterns we thought of.
type regexPattern struct {
	re *regexp2.Regexp
}

// compilePattern compiles an Oniguruma-style pattern from a tokenizer.json.
// The backtracking stack is unbounded, as in Hugging Face: a long run of
// white space must split, not fail.
func compilePattern(expr string) (*regexPattern, error) {
	re, err := regexp2.Compile(expr, regexp2.OptionMaxBacktrackingStackSize(-1))
	if err != nil {
		return nil, fmt.Errorf("regex %q: %w", expr, err)
	}
	return &regexPattern{re: re}, nil
}

// literalPattern matches s literally (a Split pattern given as {"String": s}).
func literalPattern(s string) (*regexPattern, error) {
	return compilePattern(regexp2.Escape(s))
}

// FindMatches covers inside with contiguous byte ranges, each flagged whether
// it is a match, as Hugging Face's Pattern::find_matches does.
func (p *regexPattern) FindMatches(inside string) []normalizer.OffsetsMatch {
	if inside == "" {
		return []normalizer.OffsetsMatch{{Offsets: []int{0, 0}, Match: false}}
	}
	locs, err := p.re.FindAllStringIndex(inside, -1)
	if err != nil {
		// Only a timeout or stack limit can fail, and neither is set; the
		// encoder turns the panic into an error.
		panic(fmt.Sprintf("split regex: %v", err))
	}
	out := make([]normalizer.OffsetsMatch, 0, 2*len(locs)+1)
	prev := 0
	for _, l := range locs {
		if l[0] > prev {
			out = append(out, normalizer.OffsetsMatch{Offsets: []int{prev, l[0]}, Match: false})
		}
		out = append(out, normalizer.OffsetsMatch{Offsets: []int{l[0], l[1]}, Match: true})
		prev = l[1]
	}
	if prev < len(inside) {
		out = append(out, normalizer.OffsetsMatch{Offsets: []int{prev, len(inside)}, Match: false})
	}
	return out
}

// pieces returns the substrings text splits into when every match and every
// gap between matches is its own piece (the Isolated behaviour).
func (p *regexPattern) pieces(text string) []string {
	var out []string
	for _, m := range p.FindMatches(text) {
		if m.Offsets[1] > m.Offsets[0] {
			out = append(out, text[m.Offsets[0]:m.Offsets[1]])
		}
	}
	return out
}
