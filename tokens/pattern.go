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
	re   *regexp2.Regexp
	scan *scanner // set for the well-known patterns: split scans instead (scan.go)
}

// compilePattern compiles an Oniguruma-style pattern from a tokenizer.json.
// The backtracking stack is unbounded, as in Hugging Face: a long run of
// white space must split, not fail.
func compilePattern(expr string) (*regexPattern, error) {
	re, err := regexp2.Compile(expr, regexp2.OptionMaxBacktrackingStackSize(-1))
	if err != nil {
		return nil, fmt.Errorf("regex %q: %w", expr, err)
	}
	return &regexPattern{re: re, scan: knownScanners[expr]}, nil
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

// split appends the pieces of text (HF's NormalizedString::split with this
// pattern, behavior and invert flag) to dst, without empty pieces.
func (p *regexPattern) split(dst []string, text string, b normalizer.SplitDelimiterBehavior, invert bool) ([]string, error) {
	if text == "" {
		return dst, nil
	}
	if p.scan != nil && b == normalizer.IsolatedBehavior && !invert {
		for i := 0; i < len(text); {
			end := p.scan.next(text, i)
			dst = append(dst, text[i:end])
			i = end
		}
		return dst, nil
	}
	locs, err := p.locs(text)
	if err != nil {
		return nil, fmt.Errorf("split regex: %w", err)
	}
	// spans cover text: gaps and matches (empty matches included, as in HF).
	spans := make([]span, 0, 2*len(locs)+1)
	prev := 0
	for _, l := range locs {
		if l[0] > prev {
			spans = append(spans, span{prev, l[0], invert})
		}
		spans = append(spans, span{l[0], l[1], !invert})
		prev = l[1]
	}
	if prev < len(text) {
		spans = append(spans, span{prev, len(text), invert})
	}
	for _, s := range applyBehavior(spans, b) {
		if s.end > s.start {
			dst = append(dst, text[s.start:s.end])
		}
	}
	return dst, nil
}

// locs returns the byte ranges of the matches in text.
func (p *regexPattern) locs(text string) ([][]int, error) {
	if p.scan == nil {
		return p.re.FindAllStringIndex(text, -1)
	}
	var locs [][]int
	for i := 0; i < len(text); {
		end := p.scan.next(text, i)
		locs = append(locs, []int{i, end})
		i = end
	}
	return locs, nil
}

// span is a byte range of a text and whether the pattern matched it.
type span struct {
	start, end int
	match      bool
}

// applyBehavior turns matches and gaps into the pieces to keep, as Hugging
// Face's SplitDelimiterBehavior does. It reuses spans' storage.
func applyBehavior(spans []span, b normalizer.SplitDelimiterBehavior) []span {
	out := spans[:0]
	prevMatch := false
	switch b {
	case normalizer.IsolatedBehavior:
		return spans
	case normalizer.RemovedBehavior:
		for _, s := range spans {
			if !s.match {
				out = append(out, s)
			}
		}
	case normalizer.MergedWithPreviousBehavior:
		for _, s := range spans {
			if s.match && !prevMatch && len(out) > 0 {
				out[len(out)-1].end = s.end
			} else {
				out = append(out, s)
			}
			prevMatch = s.match
		}
	case normalizer.ContiguousBehavior:
		for _, s := range spans {
			if s.match == prevMatch && len(out) > 0 {
				out[len(out)-1].end = s.end
			} else {
				out = append(out, s)
			}
			prevMatch = s.match
		}
	case normalizer.MergedWithNextBehavior:
		// Folded from the end, written from the end: writes stay behind reads.
		w := len(spans)
		for i := len(spans) - 1; i >= 0; i-- {
			s := spans[i]
			if s.match && !prevMatch && w < len(spans) {
				spans[w].start = s.start
			} else {
				w--
				spans[w] = s
			}
			prevMatch = s.match
		}
		return spans[w:]
	}
	return out
}
