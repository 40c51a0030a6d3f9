package report

import (
	"regexp"
	"strings"
	"unicode"
)

// A minimal re-implementation of python rich's Table as AIPerf prints it:
// heavy-head box, padding (0, 1), no expansion, columns shrunk and cells
// word-wrapped the way rich does when the table is wider than the console.
// Plain output is byte-identical to rich 13; with colour, the look is the same
// but the escape sequences are grouped per cell line.

// HEAVY_HEAD box characters.
const (
	boxTopLeft, boxTop, boxTopDiv, boxTopRight             = "┏", "━", "┳", "┓"
	boxHeadVert                                            = "┃"
	boxHeadRowLeft, boxHeadRow, boxHeadRowDiv, boxHeadRowR = "┡", "━", "╇", "┩"
	boxVert                                                = "│"
	boxBotLeft, boxBot, boxBotDiv, boxBotRight             = "└", "─", "┴", "┘"
	boxRowLeft, boxRow, boxRowDiv, boxRowRight             = "├", "─", "┼", "┤"
)

type justify int

const (
	justifyRight justify = iota
	justifyLeft
)

type column struct {
	header   string
	justify  justify
	style    string // rich style of body cells, e.g. "cyan"
	minWidth int    // rich's min_width (without padding); 0 for none
}

type cell struct {
	text string
	dim  bool // rich's "[dim]...[/dim]"
}

type table struct {
	title      string
	titleStyle string // "italic" is rich's table.title default
	columns    []column
	rows       [][]cell
	showLines  bool // rich's show_lines: a line between body rows
}

// render writes the table for a console of the given width.
func (t *table) render(b *strings.Builder, width int, color bool) {
	extra := 2 + len(t.columns) - 1
	widths := t.columnWidths(width - extra)
	tableWidth := extra
	for _, w := range widths {
		tableWidth += w
	}
	if t.title != "" {
		for _, line := range wrapText(t.title, tableWidth, "center", true) {
			b.WriteString(styled(line, t.titleStyle, color))
			b.WriteByte('\n')
		}
	}
	border := func(left, fill, div, right string) {
		b.WriteString(left)
		for i, w := range widths {
			if i > 0 {
				b.WriteString(div)
			}
			b.WriteString(strings.Repeat(fill, w))
		}
		b.WriteString(right)
		b.WriteByte('\n')
	}
	border(boxTopLeft, boxTop, boxTopDiv, boxTopRight)

	header := make([]cell, len(t.columns))
	for i, c := range t.columns {
		header[i] = cell{text: c.header}
	}
	t.renderRow(b, header, widths, boxHeadVert, true, color)
	border(boxHeadRowLeft, boxHeadRow, boxHeadRowDiv, boxHeadRowR)
	for i, row := range t.rows {
		if i > 0 && t.showLines {
			border(boxRowLeft, boxRow, boxRowDiv, boxRowRight)
		}
		t.renderRow(b, row, widths, boxVert, false, color)
	}
	border(boxBotLeft, boxBot, boxBotDiv, boxBotRight)
}

func (t *table) renderRow(b *strings.Builder, row []cell, widths []int, vert string, head, color bool) {
	lines := make([][]string, len(row))
	height := 1
	for i, c := range row {
		j := "right"
		if t.columns[i].justify == justifyLeft {
			j = "left"
		}
		inner := widths[i] - 2
		var ls []string
		if inner < 1 {
			ls = []string{""}
		} else {
			ls = wrapText(c.text, inner, j, false)
		}
		for k := range ls {
			ls[k] = " " + padRight(ls[k], inner) + " "
		}
		lines[i] = ls
		if len(ls) > height {
			height = len(ls)
		}
	}
	for i := range lines {
		blank := strings.Repeat(" ", widths[i])
		for len(lines[i]) < height {
			if head { // header cells are bottom-aligned, body cells top-aligned
				lines[i] = append([]string{blank}, lines[i]...)
			} else {
				lines[i] = append(lines[i], blank)
			}
		}
	}
	for k := 0; k < height; k++ {
		b.WriteString(vert)
		for i := range row {
			if i > 0 {
				b.WriteString(vert)
			}
			style := t.columns[i].style
			if head {
				style = "bold"
			} else if row[i].dim {
				style = "dim " + style
			}
			b.WriteString(styled(lines[i][k], style, color))
		}
		b.WriteString(vert)
		b.WriteByte('\n')
	}
}

// columnWidths follows rich's Table._calculate_column_widths with expand off.
func (t *table) columnWidths(maxWidth int) []int {
	n := len(t.columns)
	widths := make([]int, n)
	for i, c := range t.columns {
		mx := cellLen(c.header) // header: one line
		for _, row := range t.rows {
			_, m := measure(row[i].text)
			if m > mx {
				mx = m
			}
		}
		mx += 2 // padding
		mx = max(mx, c.minWidth+2)
		if mx > maxWidth {
			mx = maxWidth
		}
		if mx < 1 {
			mx = 1
		}
		widths[i] = mx
	}
	if sum(widths) <= maxWidth {
		return widths
	}
	widths = collapseWidths(widths, maxWidth)
	if total := sum(widths); total > maxWidth {
		ones := make([]int, n)
		for i := range ones {
			ones[i] = 1
		}
		widths = ratioReduce(total-maxWidth, ones, widths, widths)
	}
	return widths
}

// collapseWidths is rich's Table._collapse_widths with every column wrappable:
// shave the widest columns down towards the next widest until the table fits.
func collapseWidths(widths []int, maxWidth int) []int {
	total := sum(widths)
	excess := total - maxWidth
	for total > 0 && excess > 0 {
		maxCol := 0
		for _, w := range widths {
			if w > maxCol {
				maxCol = w
			}
		}
		second := 0
		for _, w := range widths {
			if w != maxCol && w > second {
				second = w
			}
		}
		diff := maxCol - second
		ratios := make([]int, len(widths))
		any := false
		for i, w := range widths {
			if w == maxCol {
				ratios[i] = 1
				any = true
			}
		}
		if !any || diff == 0 {
			break
		}
		maxReduce := make([]int, len(widths))
		for i := range maxReduce {
			maxReduce[i] = min(excess, diff)
		}
		widths = ratioReduce(excess, ratios, maxReduce, widths)
		total = sum(widths)
		excess = total - maxWidth
	}
	return widths
}

// ratioReduce is rich's _ratio.ratio_reduce (Python round: half to even).
func ratioReduce(total int, ratios, maximums, values []int) []int {
	rs := make([]int, len(ratios))
	totalRatio := 0
	for i, r := range ratios {
		if maximums[i] != 0 {
			rs[i] = r
			totalRatio += r
		}
	}
	out := append([]int(nil), values...)
	if totalRatio == 0 {
		return out
	}
	remaining := total
	for i, r := range rs {
		if r != 0 && totalRatio > 0 {
			d := min(maximums[i], roundHalfEven(r*remaining, totalRatio))
			out[i] = values[i] - d
			remaining -= d
			totalRatio -= r
		}
	}
	return out
}

// roundHalfEven returns round(num/den) as Python 3 rounds (den > 0).
func roundHalfEven(num, den int) int {
	q, r := num/den, num%den
	if r < 0 {
		q, r = q-1, r+den
	}
	switch {
	case 2*r > den:
		q++
	case 2*r == den && q%2 != 0:
		q++
	}
	return q
}

func sum(xs []int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}

// measure returns rich's (minimum, maximum) width of a text: its longest word
// and its longest line.
func measure(text string) (int, int) {
	mx := 0
	for _, line := range strings.Split(text, "\n") {
		mx = max(mx, cellLen(line))
	}
	mn := 0
	words := strings.Fields(text)
	for _, w := range words {
		mn = max(mn, cellLen(w))
	}
	if len(words) == 0 {
		mn = mx
	}
	return mn, mx
}

// cellLen is the display width. Wide (East Asian) runes are not special-cased:
// the report's texts are ASCII except for error messages.
func cellLen(s string) int { return len([]rune(s)) }

var reWord = regexp.MustCompile(`\s*\S+\s*`)

// divideLine is rich's _wrap.divide_line: rune offsets where line breaks go.
func divideLine(text string, width int, fold bool) []int {
	var divides []int
	pos := 0
	runes := []rune(text)
	for _, loc := range reWord.FindAllStringIndex(text, -1) {
		start := len([]rune(text[:loc[0]]))
		word := runes[start : start+len([]rune(text[loc[0]:loc[1]]))]
		wordLen := len([]rune(strings.TrimRightFunc(string(word), unicode.IsSpace)))
		switch {
		case pos+wordLen <= width:
			pos += len(word)
		case wordLen > width:
			if fold {
				chunks := chop(word, width)
				for k, c := range chunks {
					if start != 0 {
						divides = append(divides, start)
					}
					if k == len(chunks)-1 {
						pos = len(c)
					} else {
						start += len(c)
					}
				}
			} else {
				if start != 0 {
					divides = append(divides, start)
				}
				pos = len(word)
			}
		case pos != 0 && start != 0:
			divides = append(divides, start)
			pos = len(word)
		}
	}
	return divides
}

func chop(word []rune, width int) [][]rune {
	var out [][]rune
	for len(word) > width {
		out = append(out, word[:width])
		word = word[width:]
	}
	return append(out, word)
}

// wrapText is rich's Text.wrap for one text: split on newlines, word-wrap at
// width, then justify ("right", "left", "center", or "default" = none).
// fold chops words longer than width (console text); otherwise they end
// in an ellipsis (table cells).
func wrapText(text string, width int, justifyMode string, fold bool) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		runes := []rune(line)
		prev := 0
		var parts []string
		for _, d := range divideLine(line, width, fold) {
			parts = append(parts, string(runes[prev:d]))
			prev = d
		}
		parts = append(parts, string(runes[prev:]))
		for _, p := range parts {
			p = rstripEnd(p, width)
			switch justifyMode {
			case "right":
				p = truncate(strings.TrimRightFunc(p, unicode.IsSpace), width, fold)
				p = strings.Repeat(" ", width-cellLen(p)) + p
			case "center":
				p = truncate(strings.TrimRightFunc(p, unicode.IsSpace), width, fold)
				left := (width - cellLen(p)) / 2
				p = strings.Repeat(" ", left) + p
				p += strings.Repeat(" ", width-cellLen(p))
			case "left":
				p = padRight(truncate(p, width, fold), width)
			default:
				p = truncate(p, width, fold)
			}
			out = append(out, p)
		}
	}
	return out
}

// rstripEnd drops trailing whitespace only beyond width (rich Text.rstrip_end).
func rstripEnd(s string, width int) string {
	r := []rune(s)
	excess := len(r) - width
	if excess <= 0 {
		return s
	}
	ws := len(r) - len([]rune(strings.TrimRightFunc(s, unicode.IsSpace)))
	return string(r[:len(r)-min(ws, excess)])
}

// truncate cuts s to width, ending in "…" unless folding (rich Text.truncate).
func truncate(s string, width int, fold bool) string {
	r := []rune(s)
	if len(r) <= width {
		return s
	}
	if fold || width < 1 {
		return string(r[:max(width, 0)])
	}
	return string(r[:width-1]) + "…"
}

func padRight(s string, width int) string {
	if n := width - cellLen(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}

// styled wraps s in the SGR codes of a rich style ("bold green", "dim cyan").
func styled(s, style string, color bool) string {
	if !color || style == "" || s == "" {
		return s
	}
	codes := sgr(style)
	if codes == "" {
		return s
	}
	return "\x1b[" + codes + "m" + s + "\x1b[0m"
}

func sgr(style string) string {
	attrs := map[string]string{"bold": "1", "dim": "2", "italic": "3", "underline": "4"}
	colors := map[string]string{"black": "30", "red": "31", "green": "32", "yellow": "33",
		"blue": "34", "magenta": "35", "cyan": "36", "white": "37"}
	var a []string
	var c string
	for _, w := range []string{"bold", "dim", "italic", "underline"} {
		for _, f := range strings.Fields(style) {
			if f == w {
				a = append(a, attrs[w])
			}
		}
	}
	for _, f := range strings.Fields(style) {
		if v, ok := colors[f]; ok {
			c = v
		}
	}
	if c != "" {
		a = append(a, c)
	}
	return strings.Join(a, ";")
}
