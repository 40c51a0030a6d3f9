package deploy

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/aiperf-exporter/aiperf-exporter/deploy/promcheck"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

const (
	rulesDir     = "prometheus/rules"
	rulesTests   = "prometheus/tests"
	thresholdPfx = "aiperf:threshold:"
)

var regexpVarRef = regexp.MustCompile(`\$\(([A-Z0-9_]+)\)`)

// vllmTTFTBuckets are the bucket edges of vLLM's
// vllm:time_to_first_token_seconds; the TTFT SLO edge must be one of them so
// the objective reads the same on both sides.
var vllmTTFTBuckets = []float64{0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560}

func promtool(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not installed (apt-get install prometheus); .ci/run installs it")
	}
	return p
}

func runPromtool(t *testing.T, args ...string) {
	t.Helper()
	out, err := exec.Command(promtool(t), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func TestPromtoolCheckRules(t *testing.T) {
	files, err := RuleFiles(rulesDir)
	if err != nil {
		t.Fatal(err)
	}
	runPromtool(t, append([]string{"check", "rules"}, files...)...)
}

func TestPromtoolCheckConfig(t *testing.T) {
	runPromtool(t, "check", "config", filepath.Join("prometheus", "prometheus.yml"))
}

// TestPromtoolTestRules runs every rule unit test: each alert fires on a
// synthetic regression and stays silent on a steady series.
func TestPromtoolTestRules(t *testing.T) {
	promtool(t)
	files, err := filepath.Glob(filepath.Join(rulesTests, "*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no rule tests in %s: %v", rulesTests, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			if testing.Short() && filepath.Base(f) == "regression.yml" {
				t.Skip("-short: regression.yml evaluates a week of rules (~10-20s)")
			}
			t.Parallel()
			runPromtool(t, "test", "rules", f)
		})
	}
}

// TestEveryAlertIsTested checks each alert appears in a promtool test.
func TestEveryAlertIsTested(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(rulesTests, "*.yml"))
	var all strings.Builder
	for _, f := range files {
		all.Write(testkit.ReadFile(t, f))
	}
	for _, r := range allRules(t) {
		if r.Alert == "" {
			continue
		}
		if n := strings.Count(all.String(), "alertname: "+r.Alert+"\n") + strings.Count(all.String(), "alertname: "+r.Alert+","); n < 2 {
			t.Errorf("alert %s is checked %d times in %s; want a firing and a silent case", r.Alert, n, rulesTests)
		}
	}
}

func allRules(t *testing.T) []monitoringv1.Rule {
	t.Helper()
	groups, err := LoadRuleGroups(rulesDir)
	if err != nil {
		t.Fatal(err)
	}
	var rules []monitoringv1.Rule
	for _, g := range groups {
		rules = append(rules, g.Rules...)
	}
	return rules
}

// recordedLabels returns the labels a recording rule keeps: the grouping of
// its first aggregation, without le.
func recordedLabels(t *testing.T, expr string) []string {
	t.Helper()
	e, err := promcheck.ParseExpr(expr)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	found := false
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		if a, ok := n.(*parser.AggregateExpr); ok && !found {
			found = true
			for _, l := range a.Grouping {
				if l != "le" {
					out = append(out, l)
				}
			}
		}
		return nil
	})
	return out
}

// TestRulesMatchContract checks every expression against the metric
// contract, and recording rule names against the labels they keep.
func TestRulesMatchContract(t *testing.T) {
	cat, err := promcheck.ExporterCatalog()
	if err != nil {
		t.Fatal(err)
	}
	c := promcheck.Checker{Catalog: cat, Recorded: map[string][]string{},
		External: func(name string) bool { return strings.HasPrefix(name, "vllm:") }} // server.yml's gap reads vLLM's TTFT
	rules := allRules(t)
	for _, r := range rules {
		if r.Record == "" {
			continue
		}
		kept := recordedLabels(t, r.Expr.String())
		if !strings.HasPrefix(r.Record, thresholdPfx) {
			if level := strings.SplitN(r.Record, ":", 2)[0]; level != strings.Join(kept, "_") {
				t.Errorf("recording rule %s keeps labels %v: name its level %q", r.Record, kept, strings.Join(kept, "_"))
			}
		}
		for l := range r.Labels {
			kept = append(kept, l)
		}
		c.Recorded[r.Record] = kept
	}
	for _, r := range rules {
		if err := c.Check(r.Expr.String()); err != nil {
			t.Errorf("rule %s%s: %v", r.Record, r.Alert, err)
		}
	}
}

func TestAlertsHaveMetadata(t *testing.T) {
	n := 0
	for _, r := range allRules(t) {
		if r.Alert == "" {
			continue
		}
		n++
		if s := r.Labels["severity"]; s != "critical" && s != "warning" {
			t.Errorf("alert %s: severity %q, want critical or warning", r.Alert, s)
		}
		for _, a := range []string{"summary", "description"} {
			if strings.TrimSpace(r.Annotations[a]) == "" {
				t.Errorf("alert %s: no %s annotation", r.Alert, a)
			}
		}
	}
	if n < 9 {
		t.Errorf("only %d alerts", n)
	}
}

// numbers returns the number literals of an expression.
func numbers(t *testing.T, expr string) []float64 {
	t.Helper()
	e, err := promcheck.ParseExpr(expr)
	if err != nil {
		t.Fatal(err)
	}
	var out []float64
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		if l, ok := n.(*parser.NumberLiteral); ok {
			out = append(out, l.Val)
		}
		return nil
	})
	return out
}

// TestThresholdsInOnePlace enforces the convention of thresholds.yml: every
// tunable number is an aiperf:threshold:* constant there; alerts hold only 0
// and 1; recording rules only quantiles and 1.
func TestThresholdsInOnePlace(t *testing.T) {
	groups, err := LoadRuleGroups(rulesDir)
	if err != nil {
		t.Fatal(err)
	}
	thresholds := map[string]float64{}
	used := map[string]bool{}
	for _, g := range groups {
		for _, r := range g.Rules {
			expr := r.Expr.String()
			switch {
			case strings.HasPrefix(r.Record, thresholdPfx):
				m := regexp.MustCompile(`^vector\(([0-9.]+)\)$`).FindStringSubmatch(expr)
				if m == nil {
					t.Errorf("threshold %s: expr %q, want vector(<number>)", r.Record, expr)
					continue
				}
				thresholds[r.Record], _ = strconv.ParseFloat(m[1], 64)
			case r.Alert != "":
				for _, v := range numbers(t, expr) {
					if v != 0 && v != 1 {
						t.Errorf("alert %s: number %v belongs in an aiperf:threshold:* rule", r.Alert, v)
					}
				}
			default:
				for _, v := range numbers(t, expr) {
					if !slices.Contains([]float64{0.5, 0.95, 0.99, 1}, v) {
						t.Errorf("recording rule %s: number %v belongs in an aiperf:threshold:* rule", r.Record, v)
					}
				}
			}
			for _, ref := range regexp.MustCompile(`aiperf:threshold:\w+`).FindAllString(expr, -1) {
				if r.Alert != "" {
					used[ref] = true
				}
			}
			for _, a := range r.Annotations {
				for _, ref := range regexp.MustCompile(`aiperf:threshold:\w+`).FindAllString(a, -1) {
					used[ref] = true
				}
			}
		}
	}
	if len(thresholds) == 0 {
		t.Fatal("no thresholds found")
	}
	for ref := range used {
		if _, ok := thresholds[ref]; !ok {
			t.Errorf("%s is used but not defined", ref)
		}
	}
	for name := range thresholds {
		if !used[name] {
			t.Errorf("threshold %s is not used by any alert", name)
		}
	}

	// The SLO edge is a label value, so it cannot read the threshold: check
	// that every le matcher of the SLO rules equals it.
	edge := thresholds[thresholdPfx+"ttft_slo_seconds"]
	if !slices.Contains(vllmTTFTBuckets, edge) {
		t.Errorf("TTFT SLO edge %v is not a vLLM TTFT bucket edge", edge)
	}
	n := 0
	for _, r := range allRules(t) {
		if !strings.Contains(r.Record, "ttft_slo") {
			continue
		}
		sels, err := promcheck.Parse(r.Expr.String())
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sels {
			for _, m := range s.Matchers {
				if m.Name != "le" {
					continue
				}
				n++
				if v, err := strconv.ParseFloat(m.Value, 64); err != nil || v != edge || m.Type != labels.MatchEqual {
					t.Errorf("rule %s: le=%q, want the threshold ttft_slo_seconds %v", r.Record, m.Value, edge)
				}
			}
		}
	}
	if n == 0 {
		t.Error("no SLO rule selects the TTFT bucket edge")
	}
}
