package jinja

// patch: render limits (see PATCHES.md). A template is untrusted input: these
// bound what one render may cost, so a hostile one fails with an error
// instead of hanging, exhausting memory or overflowing the stack.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits bound one RenderLimited call. A zero field is no bound.
type Limits struct {
	Steps int64 // statements and expressions evaluated, loop bodies included
	Depth int   // macro and caller calls nested inside each other
}

// The size bounds of every render, RenderLimited or not.
const (
	maxBytes = 32 << 20  // the longest string, the output included
	maxItems = 1 << 20   // the longest list, a range() or a loop's items included
	maxNest  = 1000      // parser recursion: nested blocks, brackets, not and unary signs
	maxDepth = 1000      // lists and dicts walked inside each other (printed, compared, encoded)
	maxBuilt = 256 << 20 // bytes of strings and lists built in one RenderLimited call
	itemSize = 24        // bytes of one list item (a Value), counted for maxBuilt
)

// ErrLimit is wrapped by the error of a render that went past a limit.
var ErrLimit = errors.New("render limit")

// limitError is a limit hit deep inside a builtin that returns no error; it
// is panicked and recovered at the top of the render.
type limitError struct{ msg string }

func (l limitError) Error() string { return fmt.Sprintf("%s: %s", ErrLimit, l.msg) }
func (l limitError) Unwrap() error { return ErrLimit }

// checkSize panics with a limitError when a string of n bytes would be too long.
func checkSize(n int) {
	if n > maxBytes || n < 0 {
		panic(limitError{fmt.Sprintf("a string of more than %d bytes", maxBytes)})
	}
}

// checkItems panics with a limitError when a list of n items would be too long.
func checkItems(n int64) {
	if n > maxItems || n < 0 {
		panic(limitError{fmt.Sprintf("a list of more than %d items", maxItems)})
	}
}

// recoverLimit turns a limitError panic into *err.
func recoverLimit(err *error) {
	if p := recover(); p != nil {
		l, ok := p.(limitError)
		if !ok {
			panic(p)
		}
		*err = l
	}
}

// budget is one render's running count of steps and call depth, shared by
// the nested evaluators of macros, callers and blocks. nil: no bounds.
type budget struct {
	ctx   context.Context
	lim   Limits
	steps int64
	depth int
	built int64 // bytes of the strings and lists built so far
}

// step counts one evaluation, and every 1024 looks at the context.
func (b *budget) step() error {
	if b == nil {
		return nil
	}
	b.steps++
	if b.lim.Steps > 0 && b.steps > b.lim.Steps {
		return limitError{fmt.Sprintf("more than %d evaluation steps", b.lim.Steps)}
	}
	if b.steps%1024 == 0 {
		if err := b.ctx.Err(); err != nil {
			return fmt.Errorf("render stopped: %w", err)
		}
	}
	return nil
}

// build counts n bytes built by an expression: each string or list is bounded
// alone, but a loop that keeps them (append) could otherwise fill memory.
func (b *budget) build(n int) error {
	if b == nil {
		return nil
	}
	b.built += int64(n)
	if b.built > maxBuilt {
		return limitError{fmt.Sprintf("more than %d bytes of strings and lists built", maxBuilt)}
	}
	return nil
}

// builds is whether ex makes a new value rather than looking one up: a
// looked-up message read ten times is not ten copies.
func builds(ex expr) bool {
	switch ex.(type) {
	case *litExpr, *nameExpr, *attrExpr, *itemExpr, *condExpr:
		return false
	}
	return true
}

// enter counts a macro or caller call; leave ends it.
func (b *budget) enter() error {
	if b == nil {
		return nil
	}
	b.depth++
	if b.lim.Depth > 0 && b.depth > b.lim.Depth {
		return limitError{fmt.Sprintf("macro calls nested more than %d deep", b.lim.Depth)}
	}
	return nil
}

func (b *budget) leave() {
	if b != nil {
		b.depth--
	}
}

// RenderLimited is Render bounded by lim and stopped when ctx ends; an
// error past a limit wraps ErrLimit, one for the context wraps ctx.Err().
func (t *Template) RenderLimited(ctx context.Context, data map[string]any, lim Limits) (string, error) {
	vals := make(map[string]Value, len(data))
	for k, v := range data {
		vals[k] = FromGoValue(v)
	}
	return renderWith(t.nodes, vals, &budget{ctx: ctx, lim: lim})
}

// evalExpr counts the evaluation and bounds the size of its value.
func (e *evaluator) evalExpr(ex expr) (Value, error) {
	if err := e.lim.step(); err != nil {
		return Undefined(), err
	}
	v, err := e.evalExprUnbounded(ex)
	switch {
	case err != nil:
	case v.kind == KindString:
		checkSize(len(v.AsString()))
		if builds(ex) {
			err = e.lim.build(len(v.AsString()))
		}
	case v.kind == KindList:
		checkItems(int64(v.AsList().Len()))
		if builds(ex) {
			err = e.lim.build(itemSize * v.AsList().Len())
		}
	}
	return v, err
}

// repeatCount is n for s * n, 0 when n is negative (as Python), and panics
// with a limitError when the result would be too long.
func repeatCount(s string, n int64) int {
	if n <= 0 {
		return 0
	}
	if len(s) > 0 && n > int64(maxBytes/len(s)) {
		checkSize(maxBytes + 1)
	}
	return int(n)
}

// replaceChecked is strings.Replace after checking the result's size.
func replaceChecked(s, old, new string, n int) string {
	if len(new) > len(old) {
		count := strings.Count(s, old)
		if n >= 0 && n < count {
			count = n
		}
		if count > 0 && int64(count)*int64(len(new)-len(old)) > int64(maxBytes) {
			checkSize(maxBytes + 1)
		}
		checkSize(len(s) + count*(len(new)-len(old)))
	}
	return strings.Replace(s, old, new, n)
}

// rangeLen is the number of items of range(start, stop, step), checked.
func rangeLen(start, stop, step int64) {
	var n float64
	if step > 0 && stop > start {
		n = (float64(stop) - float64(start)) / float64(step)
	} else if step < 0 && stop < start {
		n = (float64(start) - float64(stop)) / float64(-step)
	}
	if n > maxItems {
		checkItems(maxItems + 1)
	}
}

// loopItems checks the items a for loop would make of a string.
func loopItems(s string) {
	if len(s) > maxItems {
		checkItems(int64(utf8.RuneCountInString(s)))
	}
}

// execNode counts the statement and bounds the output's size.
func (e *evaluator) execNode(n node) error {
	if err := e.lim.step(); err != nil {
		return err
	}
	err := e.execNodeUnbounded(n)
	checkSize(e.output.Len())
	return err
}

// nest counts one more level of nesting in the source being parsed; the
// parser recurses per level, so a deep one would overflow the stack.
func nest(depth *int) error {
	*depth++
	if *depth > maxNest {
		return limitError{fmt.Sprintf("source nested deeper than %d parser levels", maxNest)}
	}
	return nil
}

// printedLen is about how long v prints, counted no further than past limit:
// a list holding another many times over prints exponentially longer than
// the memory it takes, and this walk stops before printing it would.
func printedLen(v Value, limit, depth int) int {
	n := 2
	switch v.kind {
	case KindString:
		n += len(v.AsString())
	case KindList:
		for _, item := range v.AsList().Items {
			if n > limit {
				break
			}
			n += 2 + printedLen(item, limit-n, deeper(depth))
		}
	case KindDict:
		d := v.AsDict()
		for _, key := range d.Keys {
			if n > limit {
				break
			}
			n += 6 + len(key) + printedLen(d.Data[key], limit-n, deeper(depth))
		}
	}
	return n
}

// deeper is depth+1 for a walk into a list's or dict's items, and panics with
// a limitError past maxDepth: a list that holds itself would overflow the
// stack, and printing one nested 200000 deep is quadratic.
func deeper(depth int) int {
	if depth >= maxDepth {
		panic(limitError{fmt.Sprintf("lists or dicts nested more than %d deep (or holding themselves)", maxDepth)})
	}
	return depth + 1
}
