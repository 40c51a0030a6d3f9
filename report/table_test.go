package report

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// testdata/rich_tables.json holds tables and lines printed by python rich
// (testdata/rich_tables.py); ours must be byte-identical, at every width.
func TestTableMatchesRich(t *testing.T) {
	raw, err := os.ReadFile("testdata/rich_tables.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Cases []struct {
			Width int
			Title string
			Cols  []string
			Left  []bool
			Rows  [][]string
			Line  string
			Want  string
		}
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Cases) < 10 {
		t.Fatalf("only %d cases", len(f.Cases))
	}
	for i, c := range f.Cases {
		var b strings.Builder
		if c.Line != "" {
			for _, l := range wrapText(c.Line, c.Width, "default", true) {
				b.WriteString(l + "\n")
			}
		} else {
			tb := &table{title: c.Title}
			for k, h := range c.Cols {
				col := column{header: h}
				if c.Left[k] {
					col.justify = justifyLeft
				}
				tb.columns = append(tb.columns, col)
			}
			for _, r := range c.Rows {
				var row []cell
				for _, x := range r {
					row = append(row, cell{text: x})
				}
				tb.rows = append(tb.rows, row)
			}
			tb.render(&b, c.Width, false)
		}
		if got := b.String(); got != c.Want {
			t.Errorf("case %d (width %d):\n got:\n%s\nrich:\n%s", i, c.Width, got, c.Want)
		}
	}
}

func TestRatioReduceAndRounding(t *testing.T) {
	for _, c := range []struct{ num, den, want int }{{5, 2, 2}, {7, 2, 4}, {1, 3, 0}, {2, 3, 1}, {3, 2, 2}, {-3, 2, -2}} {
		if got := roundHalfEven(c.num, c.den); got != c.want {
			t.Errorf("round(%d/%d) = %d, want %d", c.num, c.den, got, c.want)
		}
	}
	got := ratioReduce(17, []int{1, 0, 0}, []int{17, 17, 17}, []int{38, 11, 11})
	if got[0] != 21 || got[1] != 11 {
		t.Errorf("ratioReduce = %v", got)
	}
}

func TestStyledColor(t *testing.T) {
	if got := styled("N/A", "dim green", true); got != "\x1b[2;32mN/A\x1b[0m" {
		t.Errorf("%q", got)
	}
	if got := styled("x", "bold", false); got != "x" {
		t.Errorf("%q", got)
	}
}
