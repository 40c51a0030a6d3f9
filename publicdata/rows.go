package publicdata

// How a parquet row of a text or vision dataset becomes a conversation, per
// loader family (TextSpec.Loader).

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/aiperf-exporter/aiperf-exporter/internal/parquetfile"
)

// columns finds leaf columns by their path in a parquet schema: a top-level
// column name, then the last element of the leaf's path (list wrappers such
// as list/element in between are skipped).
type columns [][]string

func (cs columns) find(top, leaf string) (int, bool) {
	for i, p := range cs {
		if p[0] == top && (leaf == "" && len(p) == 1 || leaf != "" && len(p) > 1 && p[len(p)-1] == leaf) {
			return i, true
		}
	}
	return 0, false
}

// optional is the leaf of column name (see find), -1 when name is "" (the
// dataset has no such column), or an error when the file lacks it.
func (cs columns) optional(name, leaf string) (int, error) {
	if name == "" {
		return -1, nil
	}
	i, ok := cs.find(name, leaf)
	if !ok {
		return 0, fmt.Errorf("no column %s", strings.TrimSuffix(name+"."+leaf, "."))
	}
	return i, nil
}

// readRows appends the conversations of one parquet file to out, stopping at max.
func readRows(path string, spec TextSpec, out []Entry, max int) ([]Entry, error) {
	err := parquetfile.Read(path, func(pf *parquet.File) error {
		cols := columns(pf.Schema().Columns())
		conv, err := newRowConverter(spec, cols)
		if err != nil {
			return err
		}
		return parquetfile.Rows(pf, func(row parquet.Row) (bool, error) {
			byLeaf := make([][]parquet.Value, len(cols))
			for _, v := range row {
				byLeaf[v.Column()] = append(byLeaf[v.Column()], v)
			}
			if e, ok := conv(byLeaf); ok {
				out = append(out, e)
			}
			return max > 0 && len(out) >= max, nil
		})
	})
	return out, err
}

// rowConverter turns a row's values, grouped by leaf column, into a
// conversation, or false when the row gives no prompt (skipped, as AIPerf).
type rowConverter func(byLeaf [][]parquet.Value) (Entry, bool)

func newRowConverter(spec TextSpec, cols columns) (rowConverter, error) {
	image, err := cols.optional(spec.Image, "bytes")
	if err != nil {
		return nil, err
	}
	video, err := cols.optional(spec.Video, "")
	if err != nil {
		return nil, err
	}
	if spec.Loader == TurnList {
		return turnList(spec, cols)
	}
	var text func(byLeaf [][]parquet.Value) string
	switch spec.Loader {
	case Instruction:
		text, err = promptText(spec, cols)
	case MMVU:
		text, err = questionWithChoices(spec, cols)
	case Conversation:
		text, err = firstUserText(spec, cols)
	default:
		err = fmt.Errorf("unknown loader %q", spec.Loader)
	}
	if err != nil {
		return nil, err
	}
	return func(byLeaf [][]parquet.Value) (Entry, bool) {
		p := Prompt{Text: text(byLeaf)}
		if strings.TrimSpace(p.Text) == "" {
			return Entry{}, false
		}
		if image >= 0 {
			p.Image = firstBytes(byLeaf[image])
		}
		if video >= 0 {
			p.Video = videoURL(str(byLeaf[video]))
		}
		return Entry{Turns: []Prompt{p}}, true
	}, nil
}

// firstBytes is the first non-empty value: AIPerf keeps a row's first image.
func firstBytes(vs []parquet.Value) []byte {
	for _, v := range vs {
		if !v.IsNull() && len(v.ByteArray()) > 0 {
			return bytes.Clone(v.ByteArray()) // the reader's buffer is reused by its next ReadRows
		}
	}
	return nil
}

func str(vs []parquet.Value) string {
	if len(vs) == 0 || vs[0].IsNull() {
		return ""
	}
	return string(vs[0].ByteArray())
}

// promptText takes the prompt column, or fills the template's {column}
// placeholders from the row's columns (AIPerf's prompt_template.format(**row)).
func promptText(spec TextSpec, cols columns) (func([][]parquet.Value) string, error) {
	if spec.Template == "" {
		i, ok := cols.find(spec.Prompt, "")
		if !ok {
			return nil, fmt.Errorf("no column %s", spec.Prompt)
		}
		return func(byLeaf [][]parquet.Value) string { return str(byLeaf[i]) }, nil
	}
	// The template alternates literal text and column names: "a{x}b{y}c".
	var lits []string
	var leaves []int
	rest := spec.Template
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			lits = append(lits, rest)
			break
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return nil, fmt.Errorf("prompt template: unclosed {")
		}
		name := rest[open+1 : open+end]
		i, ok := cols.find(name, "")
		if !ok {
			return nil, fmt.Errorf("prompt template: no column %s", name)
		}
		lits, leaves = append(lits, rest[:open]), append(leaves, i)
		rest = rest[open+end+1:]
	}
	return func(byLeaf [][]parquet.Value) string {
		var b strings.Builder
		for k, i := range leaves {
			b.WriteString(lits[k])
			b.WriteString(str(byLeaf[i]))
		}
		b.WriteString(lits[len(lits)-1])
		return b.String()
	}, nil
}

// firstUserText is the text of the first message whose role (role or from)
// is user or human, else of the first message, "<image>" placeholders taken
// out, as AIPerf's HFConversationDatasetLoader reads a single turn.
func firstUserText(spec TextSpec, cols columns) (func([][]parquet.Value) string, error) {
	content, ok := cols.find(spec.Messages, spec.Content)
	if !ok {
		return nil, fmt.Errorf("no column %s.%s", spec.Messages, spec.Content)
	}
	role, hasRole := cols.find(spec.Messages, "role")
	from, hasFrom := cols.find(spec.Messages, "from")
	return func(byLeaf [][]parquet.Value) string {
		texts := byLeaf[content]
		pick := 0
		for k := range texts {
			r := ""
			if hasRole && k < len(byLeaf[role]) {
				r = strings.ToLower(str(byLeaf[role][k : k+1]))
			}
			if r == "" && hasFrom && k < len(byLeaf[from]) {
				r = strings.ToLower(str(byLeaf[from][k : k+1]))
			}
			if r == "user" || r == "human" {
				pick = k
				break
			}
		}
		if pick >= len(texts) {
			return ""
		}
		return strings.TrimSpace(strings.ReplaceAll(str(texts[pick:pick+1]), "<image>", ""))
	}, nil
}

// videoURL passes a URL (any scheme, or a data URL) on as it is and makes a
// bare path a file:// URL, as AIPerf's _extract_videos.
func videoURL(v string) string {
	if v == "" || strings.Contains(v, "://") || strings.HasPrefix(v, "data:") {
		return v
	}
	return "file://" + v
}

// questionWithChoices is MMVU's prompt as AIPerf (and vLLM's benchmark) build
// it: the question, then "A.text B.text ..." for each non-empty choice, in
// the order the dataset's choice struct has them.
func questionWithChoices(spec TextSpec, cols columns) (func([][]parquet.Value) string, error) {
	q, ok := cols.find(spec.Prompt, "")
	if !ok {
		return nil, fmt.Errorf("no column %s", spec.Prompt)
	}
	var choices []int
	for i, p := range cols {
		if len(p) == 2 && p[0] == spec.Choices {
			choices = append(choices, i)
		}
	}
	return func(byLeaf [][]parquet.Value) string {
		var parts []string
		for _, i := range choices {
			if v := str(byLeaf[i]); v != "" {
				parts = append(parts, cols[i][1]+"."+v)
			}
		}
		question := str(byLeaf[q])
		if len(parts) == 0 {
			return question
		}
		return strings.TrimSpace(question + " " + strings.Join(parts, " "))
	}, nil
}

// turnList makes one conversation of a row's list of prompts, each non-empty
// one (trimmed) a turn, as AIPerf's MTBenchDatasetLoader.
func turnList(spec TextSpec, cols columns) (rowConverter, error) {
	i, ok := cols.find(spec.Prompt, "element")
	if !ok {
		if i, ok = cols.find(spec.Prompt, "item"); !ok {
			return nil, fmt.Errorf("no list column %s", spec.Prompt)
		}
	}
	return func(byLeaf [][]parquet.Value) (Entry, bool) {
		var e Entry
		for k := range byLeaf[i] {
			if t := strings.TrimSpace(str(byLeaf[i][k : k+1])); t != "" {
				e.Turns = append(e.Turns, Prompt{Text: t})
			}
		}
		return e, len(e.Turns) > 0
	}, nil
}
