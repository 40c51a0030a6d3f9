package report

import (
	"io"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/accuracy"
)

// TestAccuracyConsole holds the table to what AIPerf's
// AccuracyConsoleExporter has rich print: title, Task at least 30 wide,
// lines between rows, tasks sorted, OVERALL last, percentages with 2 places.
func TestAccuracyConsole(t *testing.T) {
	var s accuracy.Summary
	s.Add("virology", true, false)
	s.Add("anatomy", true, false)
	s.Add("anatomy", false, true)
	s.Add("anatomy", false, false)
	out := written(t, func(w io.Writer) error { return WriteAccuracyConsole(w, &s, ConsoleOptions{Width: 120}) })
	want := `
                        Accuracy Benchmark Results                        
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━┓
┃ Task                           ┃ Correct ┃ Total ┃ Unparsed ┃ Accuracy ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━┩
│ anatomy                        │       1 │     3 │        1 │   33.33% │
├────────────────────────────────┼─────────┼───────┼──────────┼──────────┤
│ virology                       │       1 │     1 │        0 │  100.00% │
├────────────────────────────────┼─────────┼───────┼──────────┼──────────┤
│ OVERALL                        │       2 │     4 │        1 │   50.00% │
└────────────────────────────────┴─────────┴───────┴──────────┴──────────┘
`
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	// Every answer unparsed: AIPerf's warning follows the table.
	var all accuracy.Summary
	all.Add("anatomy", false, true)
	out = written(t, func(w io.Writer) error { return WriteAccuracyConsole(w, &all, ConsoleOptions{Width: 120}) })
	if !strings.Contains(out, "Warning: every accuracy response was unparsed (accuracy=0).") {
		t.Errorf("no warning:\n%s", out)
	}
}
