package accuracy

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// CSVFile is AIPerf's accuracy summary file in the artifact directory.
const CSVFile = "accuracy_results.csv"

// TaskStats counts one task's graded answers.
type TaskStats struct {
	Total, Passed, Unparsed int
}

// Rate is the share of correct answers (0 without any).
func (t TaskStats) Rate() float64 { return ratio(t.Passed, t.Total) }

// UnparsedRate is the share of answers that needed a fallback.
func (t TaskStats) UnparsedRate() float64 { return ratio(t.Unparsed, t.Total) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Summary is AIPerf's AccuracySummary: per-task counts of the run's graded
// answers (the warmup's are not counted).
type Summary struct {
	PerTask map[string]*TaskStats
}

// Add counts one graded answer of task.
func (s *Summary) Add(task string, passed, unparsed bool) {
	if s.PerTask == nil {
		s.PerTask = map[string]*TaskStats{}
	}
	t := s.PerTask[task]
	if t == nil {
		t = &TaskStats{}
		s.PerTask[task] = t
	}
	t.Total++
	if passed {
		t.Passed++
	}
	if unparsed {
		t.Unparsed++
	}
}

// Tasks lists the task names, sorted as AIPerf's table sorts them.
func (s *Summary) Tasks() []string {
	out := make([]string, 0, len(s.PerTask))
	for n := range s.PerTask {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Overall sums every task.
func (s *Summary) Overall() TaskStats {
	var o TaskStats
	for _, t := range s.PerTask {
		o.Total += t.Total
		o.Passed += t.Passed
		o.Unparsed += t.Unparsed
	}
	return o
}

// WriteCSV writes accuracy_results.csv to dir: AIPerf's columns, one row per
// task and a last OVERALL row.
func (s *Summary) WriteCSV(dir string) error {
	f, err := os.Create(filepath.Join(dir, CSVFile))
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.UseCRLF = true // Python's csv module ends rows with \r\n
	w.Write([]string{"task", "total", "passed", "unparsed", "accuracy_rate", "unparsed_rate"})
	row := func(name string, t TaskStats) {
		w.Write([]string{name, strconv.Itoa(t.Total), strconv.Itoa(t.Passed), strconv.Itoa(t.Unparsed), pyFloat(t.Rate()), pyFloat(t.UnparsedRate())})
	}
	for _, n := range s.Tasks() {
		row(n, *s.PerTask[n])
	}
	row("OVERALL", s.Overall())
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// pyFloat writes a float as Python's str does: shortest digits, with ".0"
// on whole numbers.
func pyFloat(v float64) string {
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}
