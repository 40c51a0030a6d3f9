package report

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/endpoint"
	"github.com/aiperf-exporter/aiperf-exporter/internal/term"
	"github.com/aiperf-exporter/aiperf-exporter/metrics"
)

// ConsoleOptions control how the console report is drawn.
type ConsoleOptions struct {
	// Width of the console in columns; AIPerf forces at least 100.
	Width int
	// Color turns on ANSI styles (only for terminals).
	Color bool
}

// minConsoleWidth is AIPerf's floor on the console width.
const minConsoleWidth = 100

// ConsoleOptionsFor picks the options rich would use for w: the terminal's
// width (stdin, stdout or stderr, overridden by $COLUMNS, default 80, at least
// 100), and colour only when w itself is a terminal and $NO_COLOR is unset.
func ConsoleOptionsFor(w io.Writer) ConsoleOptions {
	width := 0
	for _, f := range []*os.File{os.Stdin, os.Stdout, os.Stderr} {
		if width = term.Width(f); width > 0 {
			break
		}
	}
	if c, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && c > 0 {
		width = c
	}
	if width <= 0 {
		width = 80
	}
	color := false
	if f, ok := w.(*os.File); ok && term.IsTerminal(f) {
		color = os.Getenv("TERM") != "dumb"
	}
	if os.Getenv("NO_COLOR") != "" {
		color = false
	} else if os.Getenv("FORCE_COLOR") != "" {
		color = true
	}
	return ConsoleOptions{Width: max(width, minConsoleWidth), Color: color}
}

// WriteConsole prints AIPerf's end-of-run console report to w, sized and
// coloured for w (see ConsoleOptionsFor).
func WriteConsole(w io.Writer, res *metrics.Result, info RunInfo) error {
	return WriteConsoleWith(w, res, info, ConsoleOptionsFor(w))
}

// WriteConsoleWith prints the console report with explicit options.
func WriteConsoleWith(w io.Writer, res *metrics.Result, info RunInfo, opt ConsoleOptions) error {
	width := max(opt.Width, minConsoleWidth)
	var b strings.Builder
	if len(res.Metrics) > 0 {
		b.WriteString("\n\n") // rich's console.print("\n")
		metricsTable(res, info.EndpointType).render(&b, width, opt.Color)
	}
	if len(res.Errors) > 0 {
		b.WriteString("\n\n")
		errorTable(res.Errors).render(&b, width, opt.Color)
	}
	b.WriteString("\n")

	cancelled := res.WasCancelled || info.Cancelled
	line := func(label, labelStyle, text string) {
		for i, l := range wrapText(label+text, width, "default", true) {
			if i == 0 && opt.Color && strings.HasPrefix(l, label) {
				l = styled(strings.TrimSuffix(label, " "), labelStyle, true) + " " + l[len(label):]
			}
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	line("CLI Command: ", "bold green", info.CLICommand)
	if d, ok := res.Get(metrics.BenchmarkDuration); ok {
		s := fmt.Sprintf("%.2f sec", d.Value)
		if cancelled {
			s += " (cancelled early)"
		}
		line("Benchmark Duration: ", "bold green", s)
	}
	line("CSV Export: ", "bold green", absPath(joinDir(info.ArtifactDir, info.Names.orDefault().CSV)))
	line("JSON Export: ", "bold green", absPath(joinDir(info.ArtifactDir, info.Names.orDefault().JSON)))
	line("Log File: ", "bold green", absPath(LogPath(info.ArtifactDir)))
	if cancelled {
		for _, l := range wrapText(cancelNote, width, "default", true) {
			b.WriteString(styled(l, "italic yellow", opt.Color))
			b.WriteByte('\n')
		}
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// cancelNote is AIPerf's warning after a cancelled run.
const cancelNote = "The profile run was cancelled early. Results shown may be incomplete or inaccurate."

// consoleStats are the console's columns after the metric name.
var consoleStats = []string{"avg", "min", "max", "p99", "p90", "p50", "std"}

// MetricsTitle names the console's metrics table for an endpoint type:
// AIPerf's metrics_title (src/aiperf/plugin/plugins.yaml), "LLM Metrics" for
// a type we do not know.
func MetricsTitle(endpointType string) string {
	if t, ok := endpoint.Lookup(endpointType); ok {
		return t.Title
	}
	return "LLM Metrics"
}

// ConsoleDefs returns the metrics of res the console shows, in display order.
func ConsoleDefs(res *metrics.Result) []metrics.Metric {
	var out []metrics.Metric
	for _, m := range res.Metrics {
		if m.Order == 0 || m.Has(metrics.NoConsole) || m.Has(metrics.ErrorOnly) ||
			m.Has(metrics.Internal) || m.Has(metrics.Extension) {
			continue
		}
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Order < out[j].Order })
	return out
}

func metricsTable(res *metrics.Result, endpointType string) *table {
	t := &table{title: "NVIDIA AIPerf | " + MetricsTitle(endpointType), titleStyle: "italic"}
	t.columns = append(t.columns, column{header: "Metric", style: "cyan"})
	for _, k := range consoleStats {
		t.columns = append(t.columns, column{header: k, style: "green"})
	}
	for _, m := range ConsoleDefs(res) {
		sep := " "
		if len(m.Header) > 30 {
			sep = "\n"
		}
		row := []cell{{text: m.Header + sep + "(" + m.Unit + ")"}}
		for _, k := range consoleStats {
			if v, ok := statValue(m, k); ok {
				row = append(row, cell{text: comma2(v)})
			} else {
				row = append(row, cell{text: "N/A", dim: true})
			}
		}
		t.rows = append(t.rows, row)
	}
	return t
}

// ConsoleStats are the console's statistic columns, for uploads that log
// its table (W&B).
func ConsoleStats() []string { return append([]string(nil), consoleStats...) }

// ConsoleValue is one statistic of m as the console shows it; false: N/A.
func ConsoleValue(m metrics.Metric, key string) (float64, bool) { return statValue(m, key) }

// statValue returns one statistic of m by its AIPerf key; aggregate metrics
// only have "avg".
func statValue(m metrics.Metric, key string) (float64, bool) {
	if m.Has(metrics.AggregateMetric) {
		return m.Value, key == "avg"
	}
	return m.Stats.Stat(key)
}

func errorTable(errs []metrics.ErrorCount) *table {
	t := &table{title: "NVIDIA AIPerf | Error Summary", titleStyle: "italic red",
		columns: []column{
			{header: "Code", style: "yellow"},
			{header: "Type", style: "yellow"},
			{header: "Message", justify: justifyLeft, style: "yellow"},
			{header: "Count", style: "yellow"},
		}}
	for _, e := range errs {
		code := cell{text: "N/A", dim: true}
		if e.Error.Code != 0 {
			code = cell{text: strconv.Itoa(e.Error.Code)}
		}
		typ := cell{text: "N/A", dim: true}
		if e.Error.Type != "" {
			typ = cell{text: e.Error.Type}
		}
		count := strings.TrimSuffix(comma2(float64(e.Count)), ".00")
		t.rows = append(t.rows, []cell{code, typ, {text: e.Error.Message}, {text: count}})
	}
	return t
}

func joinDir(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + string(os.PathSeparator) + name
}
