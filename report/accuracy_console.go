package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/accuracy"
)

// WriteAccuracyConsole prints AIPerf's "Accuracy Benchmark Results" table
// (its AccuracyConsoleExporter): a row per task, sorted, then OVERALL, and
// its warning when no answer could be parsed at all.
func WriteAccuracyConsole(w io.Writer, s *accuracy.Summary, opt ConsoleOptions) error {
	t := &table{title: "Accuracy Benchmark Results", titleStyle: "italic", showLines: true,
		columns: []column{
			{header: "Task", justify: justifyLeft, style: "cyan", minWidth: 30},
			{header: "Correct"},
			{header: "Total"},
			{header: "Unparsed", style: "yellow"},
			{header: "Accuracy", style: "bold"},
		}}
	row := func(name string, st accuracy.TaskStats) {
		t.rows = append(t.rows, []cell{{text: name}, {text: strconv.Itoa(st.Passed)}, {text: strconv.Itoa(st.Total)},
			{text: strconv.Itoa(st.Unparsed)}, {text: fmt.Sprintf("%.2f%%", 100*st.Rate())}})
	}
	for _, n := range s.Tasks() {
		row(n, *s.PerTask[n])
	}
	all := s.Overall()
	if all.Total > 0 {
		row("OVERALL", all)
	}
	var b strings.Builder
	b.WriteString("\n")
	t.render(&b, max(opt.Width, minConsoleWidth), opt.Color)
	if all.Total > 0 && all.Unparsed >= all.Total {
		for _, l := range wrapText("Warning: every accuracy response was unparsed (accuracy=0). The grader could not extract an answer from any model output. Verify the inference server returns valid completions for this benchmark before trusting the accuracy CSV.", max(opt.Width, minConsoleWidth), "default", true) {
			b.WriteString(l + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
