package dashboards

import (
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/prometheus/promql/parser"

	"github.com/aiperf-exporter/aiperf-exporter/deploy/promcheck"
)

// Two scenarios of one model, or a dead target beside a live one, must never
// merge on the dashboard: every query of ours selects by the scenario and
// target variables, and every aggregation of our series keeps both labels
// (the heatmaps draw the selected series' buckets together on purpose). The
// exporter's own series (aiperf_exporter_*) have no scenario or target: they
// are drawn per instance.
func TestEveryQueryIsPerScenarioAndTarget(t *testing.T) {
	b := loadBoard(t)
	var names []string
	for _, v := range b.Templating.List {
		names = append(names, v.Name)
	}
	for _, want := range []string{"scenario", "target"} {
		if !slices.Contains(names, want) {
			t.Errorf("no %s variable (variables %v)", want, names)
		}
	}
	for _, p := range leafPanels(b.Panels) {
		for _, tg := range p.Targets {
			if !strings.Contains(tg.Expr, "aiperf_") {
				continue
			}
			keep := []string{"scenario", "target"}
			if strings.Contains(tg.Expr, "aiperf_exporter_") {
				keep = []string{"instance"}
				if !strings.Contains(tg.Expr, `instance=~"$instance"`) {
					t.Errorf("panel %q: query of the exporter's own series does not select by $instance: %s", p.Title, tg.Expr)
				}
			} else if !strings.Contains(tg.Expr, `target=~"$target"`) || !strings.Contains(tg.Expr, `scenario=~"$scenario"`) {
				t.Errorf("panel %q: query does not select by $scenario and $target: %s", p.Title, tg.Expr)
			}
			if p.Type == "heatmap" {
				continue
			}
			e, err := promcheck.ParseExpr(substitute(tg.Expr))
			if err != nil {
				t.Fatalf("panel %q: %v", p.Title, err)
			}
			parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
				a, ok := n.(*parser.AggregateExpr)
				if !ok || !ours(a) {
					return nil
				}
				for _, l := range keep {
					if a.Without || !slices.Contains(a.Grouping, l) {
						t.Errorf("panel %q: %s merges %ss: %s", p.Title, a.Op, l, a)
					}
				}
				return nil
			})
		}
	}
}

// ours reports whether an aggregation reads the exporter's series.
func ours(a *parser.AggregateExpr) bool {
	found := false
	parser.Inspect(a.Expr, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok && strings.HasPrefix(vs.Name, "aiperf_") {
			found = true
		}
		return nil
	})
	return found
}
