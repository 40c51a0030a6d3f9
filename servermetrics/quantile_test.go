package servermetrics

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var inf = math.Inf(1)

// quantileCases are bucket sets PromQL and Quantile both estimate.
var quantileCases = []struct {
	name    string
	buckets []Bucket
}{
	{"spread", []Bucket{{0.01, 0}, {0.025, 3}, {0.05, 35}, {0.1, 50}, {0.25, 50}, {inf, 50}}},
	{"one_bucket", []Bucket{{0.02, 0}, {0.04, 10}, {inf, 10}}},
	{"tail_in_inf", []Bucket{{1, 5}, {2, 8}, {inf, 12}}},
	{"negative_lowest_bound", []Bucket{{-1, 2}, {0, 4}, {1, 6}, {inf, 6}}},
	{"zero_lowest_bound", []Bucket{{0, 3}, {1, 5}, {inf, 9}}},
	{"not_monotonic", []Bucket{{0.1, 4}, {0.2, 3}, {0.5, 9}, {inf, 10}}},
	{"unsorted", []Bucket{{inf, 20}, {0.5, 10}, {0.1, 2}, {1, 18}}},
}

// TestQuantileMatchesPromQL has promtool, PromQL's own engine, evaluate
// histogram_quantile over the same buckets and expect Quantile's answers.
func TestQuantileMatchesPromQL(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not installed (apt-get install prometheus)")
	}
	var b strings.Builder
	b.WriteString("rule_files: []\ntests:\n  - interval: 1m\n    input_series:\n")
	for _, c := range quantileCases {
		for _, bk := range c.buckets {
			fmt.Fprintf(&b, "      - series: 'h_bucket{case=%q,le=%q}'\n        values: '%s'\n", c.name, formatLe(bk.Le), formatFloat(bk.Count))
		}
	}
	b.WriteString("    promql_expr_test:\n")
	for _, c := range quantileCases {
		for _, q := range []float64{0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1} {
			want := Quantile(q, c.buckets)
			if math.IsNaN(want) {
				continue // promtool's comparison never equals NaN (q=0 in an empty lowest bucket is 0/0 on both sides)
			}
			fmt.Fprintf(&b, "      - expr: histogram_quantile(%g, h_bucket{case=%q})\n        eval_time: 0m\n", q, c.name)
			fmt.Fprintf(&b, "        exp_samples:\n          - labels: '{case=%q}'\n            value: %s\n", c.name, formatFloat(want))
		}
	}
	path := filepath.Join(t.TempDir(), "quantile_test.yml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(promtool, "test", "rules", path).CombinedOutput(); err != nil {
		t.Fatalf("promtool test rules: %v\n%s", err, out)
	}
}

func TestQuantileWithoutAnswer(t *testing.T) {
	for name, c := range map[string]struct {
		q       float64
		buckets []Bucket
		want    float64
	}{
		"no observations": {0.5, []Bucket{{0.1, 0}, {inf, 0}}, math.NaN()},
		"no +Inf bucket":  {0.5, []Bucket{{0.1, 1}, {0.2, 2}}, math.NaN()},
		"only +Inf":       {0.5, []Bucket{{inf, 7}}, math.NaN()},
		"q NaN":           {math.NaN(), []Bucket{{0.1, 1}, {inf, 1}}, math.NaN()},
		"q below 0":       {-0.1, []Bucket{{0.1, 1}, {inf, 1}}, math.Inf(-1)},
		"q above 1":       {1.1, []Bucket{{0.1, 1}, {inf, 1}}, math.Inf(1)},
	} {
		got := Quantile(c.q, c.buckets)
		if !(got == c.want || math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("%s: got %v, want %v", name, got, c.want)
		}
	}
}

func formatLe(le float64) string {
	if math.IsInf(le, 1) {
		return "+Inf"
	}
	return formatFloat(le)
}

// formatFloat spells v for YAML, NaN as .nan.
func formatFloat(v float64) string {
	if math.IsNaN(v) {
		return ".nan"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
