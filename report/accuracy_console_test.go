package report

import (
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
	var b strings.Builder
	if err := WriteAccuracyConsole(&b, &s, ConsoleOptions{Width: 120}); err != nil {
		t.Fatal(err)
	}
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
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	// Every answer unparsed: AIPerf's warning follows the table.
	var all accuracy.Summary
	all.Add("anatomy", false, true)
	b.Reset()
	WriteAccuracyConsole(&b, &all, ConsoleOptions{Width: 120})
	if !strings.Contains(b.String(), "Warning: every accuracy response was unparsed (accuracy=0).") {
		t.Errorf("no warning:\n%s", b.String())
	}
}
