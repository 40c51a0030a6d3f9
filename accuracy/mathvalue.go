package accuracy

import (
	"math"
	"strconv"
	"strings"
)

// mathValue evaluates an expression as AIPerf's sympy and latex2sympy
// would before comparing: numbers, variables (a run of letters is one
// name, as sympy's parse_expr reads "ab"; their values from at), + - * / ^,
// implicit products (2x, 2\sqrt{3}), brackets and braces, \frac{a}{b},
// \sqrt{a}, \sqrt[n]{a}, \pi, \cdot and \times. Anything else (a function, a
// set, an interval) is not a value. vars reports whether a variable was met.
func mathValue(s string, at func(name string) float64) (v float64, vars bool, ok bool) {
	p := &exprParser{s: strings.ReplaceAll(s, " ", ""), at: at}
	v, ok = p.expr()
	return v, p.vars, ok && p.i == len(p.s)
}

type exprParser struct {
	s    string
	i    int
	at   func(string) float64
	vars bool
}

func (p *exprParser) eat(tok string) bool {
	if strings.HasPrefix(p.s[p.i:], tok) {
		p.i += len(tok)
		return true
	}
	return false
}

func (p *exprParser) expr() (float64, bool) {
	v, ok := p.term()
	for ok {
		switch {
		case p.eat("+"):
			var w float64
			w, ok = p.term()
			v += w
		case p.eat("-"):
			var w float64
			w, ok = p.term()
			v -= w
		default:
			return v, true
		}
	}
	return 0, false
}

func (p *exprParser) term() (float64, bool) {
	v, ok := p.unary()
	for ok {
		switch {
		case p.eat("*"), p.eat(`\cdot`), p.eat(`\times`):
			var w float64
			w, ok = p.unary()
			v *= w
		case p.eat("/"):
			var w float64
			w, ok = p.unary()
			v /= w
		case p.i < len(p.s) && (strings.ContainsRune(`\({`, rune(p.s[p.i])) || isLetter(p.s[p.i])): // 2\sqrt{3}, 2(3), 2x
			var w float64
			w, ok = p.unary()
			v *= w
		default:
			return v, true
		}
	}
	return 0, false
}

func (p *exprParser) unary() (float64, bool) {
	switch {
	case p.eat("-"):
		v, ok := p.unary()
		return -v, ok
	case p.eat("+"):
		return p.unary()
	}
	v, ok := p.atom()
	if ok && p.eat("^") {
		e, ok := p.unary()
		return math.Pow(v, e), ok
	}
	return v, ok
}

func (p *exprParser) atom() (float64, bool) {
	switch {
	case p.eat("("):
		return p.closed(")")
	case p.eat("{"):
		return p.closed("}")
	case p.eat(`\frac{`):
		a, ok := p.closed("}")
		if !ok || !p.eat("{") {
			return 0, false
		}
		b, ok := p.closed("}")
		return a / b, ok
	case p.eat(`\sqrt[`):
		n, ok := p.closed("]")
		if !ok || !p.eat("{") {
			return 0, false
		}
		a, ok := p.closed("}")
		return math.Pow(a, 1/n), ok
	case p.eat(`\sqrt{`):
		a, ok := p.closed("}")
		return math.Sqrt(a), ok
	case p.eat(`\pi`), p.eat("pi"):
		return math.Pi, true
	case p.i < len(p.s) && isLetter(p.s[p.i]):
		j := p.i
		for j < len(p.s) && isLetter(p.s[j]) {
			j++
		}
		name := p.s[p.i:j]
		p.i, p.vars = j, true
		return p.at(name), true
	}
	j := p.i
	for j < len(p.s) && (p.s[j] >= '0' && p.s[j] <= '9' || p.s[j] == '.') {
		j++
	}
	v, err := strconv.ParseFloat(p.s[p.i:j], 64)
	if err != nil {
		return 0, false
	}
	p.i = j
	return v, true
}

// closed is an expression and then its closing bracket.
func (p *exprParser) closed(end string) (float64, bool) {
	v, ok := p.expr()
	return v, ok && p.eat(end)
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
