package dashboards

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/deploy/promcheck"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// The dashboard-linter style rules, checked on the committed JSON that
// Grafana loads.

type panel struct {
	Type       string    `json:"type"`
	Title      string    `json:"title"`
	Datasource *dsRef    `json:"datasource"`
	Targets    []target  `json:"targets"`
	Panels     []panel   `json:"panels"`
	FieldCfg   fieldCfg  `json:"fieldConfig"`
	Options    panelOpts `json:"options"`
}

type dsRef struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

type target struct {
	Datasource *dsRef `json:"datasource"`
	Expr       string `json:"expr"`
	RefID      string `json:"refId"`
}

type fieldCfg struct {
	Defaults struct {
		Unit string `json:"unit"`
	} `json:"defaults"`
}

type panelOpts struct {
	YAxis *struct {
		Unit string `json:"unit"`
	} `json:"yAxis"`
}

type variable struct {
	Type       string `json:"type"`
	Name       string `json:"name"`
	Query      any    `json:"query"`
	Datasource *dsRef `json:"datasource"`
}

type board struct {
	Panels     []panel `json:"panels"`
	Templating struct {
		List []variable `json:"list"`
	} `json:"templating"`
}

func loadBoard(t *testing.T) board {
	t.Helper()
	return testkit.ReadJSON[board](t, "aiperf-exporter.json")
}

// checker knows the exporter's real metrics; vLLM's metrics are external.
func checker(t *testing.T) promcheck.Checker {
	t.Helper()
	cat, err := promcheck.ExporterCatalog()
	if err != nil {
		t.Fatal(err)
	}
	return promcheck.Checker{Catalog: cat, External: isExternal}
}

// isExternal reports metrics of other exporters: vLLM's and dcgm-exporter's.
func isExternal(name string) bool { return isVLLM(name) || strings.HasPrefix(name, "DCGM_") }

func isVLLM(name string) bool { return strings.HasPrefix(name, "vllm:") }

// leafPanels returns every non-row panel, including those inside rows.
func leafPanels(ps []panel) []panel {
	var out []panel
	for _, p := range ps {
		if p.Type == "row" {
			out = append(out, leafPanels(p.Panels)...)
			continue
		}
		out = append(out, p)
	}
	return out
}

var (
	grafanaVar = regexp.MustCompile(`\$\{?(\w+)(?::\w+)?\}?`)
	rangeExpr  = regexp.MustCompile(`\[([^\]]*)\]`)
	labelVals  = regexp.MustCompile(`^label_values\((.*),\s*(\w+)\)$`)
)

// substitute replaces Grafana variables with values PromQL accepts.
func substitute(expr string) string {
	return grafanaVar.ReplaceAllStringFunc(expr, func(v string) string {
		name := grafanaVar.FindStringSubmatch(v)[1]
		switch name {
		case "__rate_interval", "__interval", "__range":
			return "5m"
		default:
			return "dummy"
		}
	})
}

// lintExpr applies the per-expression rules to one panel query.
func lintExpr(c promcheck.Checker, expr string) []error {
	var errs []error
	for _, r := range rangeExpr.FindAllStringSubmatch(expr, -1) {
		if r[1] != "$__rate_interval" {
			errs = append(errs, fmt.Errorf("range [%s] must be [$__rate_interval]", r[1]))
		}
	}
	sub := substitute(expr)
	if err := c.Check(sub); err != nil {
		errs = append(errs, err)
	}
	sels, err := promcheck.Parse(sub)
	if err != nil {
		return errs // already reported by Check
	}
	for _, s := range sels {
		for _, l := range []string{"job", "instance"} {
			if !s.HasLabel(l) {
				errs = append(errs, fmt.Errorf("selector of %s has no %s matcher", s.Metric, l))
			}
		}
	}
	return errs
}

func TestDashboardLint(t *testing.T) {
	b := loadBoard(t)
	c := checker(t)

	var dsVars []string
	for _, v := range b.Templating.List {
		if v.Type == "datasource" {
			dsVars = append(dsVars, v.Name)
		}
	}
	if len(dsVars) != 1 {
		t.Fatalf("want exactly one datasource variable, got %v", dsVars)
	}
	wantUID := "${" + dsVars[0] + "}"
	usesDS := func(r *dsRef) bool { return r != nil && r.UID == wantUID && r.Type == "prometheus" }

	for _, v := range b.Templating.List {
		if v.Type != "query" {
			continue
		}
		if !usesDS(v.Datasource) {
			t.Errorf("variable %s: datasource %+v, want %s", v.Name, v.Datasource, wantUID)
		}
		q, _ := v.Query.(string)
		m := labelVals.FindStringSubmatch(q)
		if m == nil {
			t.Errorf("variable %s: query %q is not label_values(selector, label)", v.Name, q)
			continue
		}
		if err := c.CheckSelector(substitute(m[1])); err != nil {
			t.Errorf("variable %s: %v", v.Name, err)
		}
	}

	leaves := leafPanels(b.Panels)
	if len(leaves) < 20 {
		t.Fatalf("only %d panels: dashboard not decoded?", len(leaves))
	}
	for _, p := range leaves {
		if !usesDS(p.Datasource) {
			t.Errorf("panel %q: datasource %+v, want %s", p.Title, p.Datasource, wantUID)
		}
		if p.FieldCfg.Defaults.Unit == "" {
			t.Errorf("panel %q: no unit", p.Title)
		}
		if p.Type == "heatmap" && (p.Options.YAxis == nil || p.Options.YAxis.Unit == "") {
			t.Errorf("heatmap %q: no y-axis unit", p.Title)
		}
		if len(p.Targets) == 0 {
			t.Errorf("panel %q: no queries", p.Title)
		}
		for _, tg := range p.Targets {
			if !usesDS(tg.Datasource) {
				t.Errorf("panel %q query %s: datasource %+v, want %s", p.Title, tg.RefID, tg.Datasource, wantUID)
			}
			for _, err := range lintExpr(c, tg.Expr) {
				t.Errorf("panel %q query %s: %v", p.Title, tg.RefID, err)
			}
		}
	}
}

// TestLintRejects shows each rule catching the mistake it exists for.
func TestLintRejects(t *testing.T) {
	c := checker(t)
	for _, tc := range []struct{ expr, want string }{
		{`sum(rate(aiperf_requests_total{job=~"$job",instance=~"$instance"}[5m]))`, "[$__rate_interval]"},
		{`sum(rate(aiperf_requests_total{instance=~"$instance"}[$__rate_interval]))`, "no job matcher"},
		{`sum(rate(aiperf_requests_total{job=~"$job"}[$__rate_interval]))`, "no instance matcher"},
		{`sum(aiperf_requests_total{job=~"$job",instance=~"$instance"})`, "outside rate"},
		{`sum(rate(aiperf_requests_totl{job=~"$job",instance=~"$instance"}[$__rate_interval]))`, "unknown metric"},
		{`sum(rate(aiperf_requests_total{job=~"$job",instance=~"$instance",model=~"$model_name"}[$__rate_interval]))`, `no label "model"`},
		{`sum(rate(aiperf_requests_total{job=~"$job",instance=~"$instance"}[$__rate_interval])`, "parse"},
	} {
		errs := lintExpr(c, tc.expr)
		found := false
		for _, err := range errs {
			found = found || strings.Contains(err.Error(), tc.want)
		}
		if !found {
			t.Errorf("lint(%s) = %v, want an error containing %q", tc.expr, errs, tc.want)
		}
	}
	if errs := lintExpr(c, `sum(rate(aiperf_requests_total{job=~"$job",instance=~"$instance"}[$__rate_interval]))`); len(errs) != 0 {
		t.Errorf("clean expression rejected: %v", errs)
	}
}

func TestVLLMComparisonRow(t *testing.T) {
	b := loadBoard(t)
	var ours, theirs bool
	for _, p := range leafPanels(b.Panels) {
		for _, tg := range p.Targets {
			ours = ours || strings.Contains(tg.Expr, "aiperf_time_to_first_token_seconds_bucket")
			if strings.Contains(tg.Expr, "vllm:time_to_first_token_seconds_bucket") {
				theirs = true
				if !strings.Contains(tg.Expr, `model_name=~"$model_name"`) {
					t.Errorf("panel %q: vLLM query does not filter by model_name: %s", p.Title, tg.Expr)
				}
			}
		}
	}
	if !ours || !theirs {
		t.Errorf("want our TTFT and vLLM's TTFT on the dashboard; ours=%v vllm=%v", ours, theirs)
	}
}
