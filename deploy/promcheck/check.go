package promcheck

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

// Selector is one vector selector found in an expression.
type Selector struct {
	Metric   string
	Matchers []*labels.Matcher
	// InCounterFunc is true when the selector is the range argument of
	// rate, irate or increase.
	InCounterFunc bool
}

// HasLabel reports whether the selector has a matcher on label name.
func (s Selector) HasLabel(name string) bool {
	return slices.ContainsFunc(s.Matchers, func(m *labels.Matcher) bool { return m.Name == name })
}

// targetLabels are attached by Prometheus to every scraped series.
var targetLabels = []string{"job", "instance"}

// counterFuncs are the functions a counter may be read through.
var counterFuncs = []string{"rate", "irate", "increase"}

// Checker validates PromQL expressions against a catalog.
type Checker struct {
	Catalog Catalog
	// Recorded maps the names of series produced by recording rules to
	// their label names.
	Recorded map[string][]string
	// External reports whether a metric belongs to another exporter (for
	// example vllm:*); its name and labels are not checked.
	External func(name string) bool
}

var promql = parser.NewParser(parser.Options{})

// Parse parses expr and returns its vector selectors.
func Parse(expr string) ([]Selector, error) {
	e, err := ParseExpr(expr)
	if err != nil {
		return nil, err
	}
	var sels []Selector
	parser.Inspect(e, func(node parser.Node, path []parser.Node) error {
		vs, ok := node.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		sels = append(sels, Selector{
			Metric:        metricName(vs),
			Matchers:      vs.LabelMatchers,
			InCounterFunc: inCounterFunc(path),
		})
		return nil
	})
	return sels, nil
}

// metricName returns the metric a selector names, or "" for none.
func metricName(vs *parser.VectorSelector) string {
	if vs.Name != "" {
		return vs.Name
	}
	for _, m := range vs.LabelMatchers {
		if m.Name == labels.MetricName && m.Type == labels.MatchEqual {
			return m.Value
		}
	}
	return ""
}

// inCounterFunc reports whether path (the ancestors of a vector selector)
// ends in rate/irate/increase(<matrix selector>).
func inCounterFunc(path []parser.Node) bool {
	if len(path) < 2 {
		return false
	}
	if _, ok := path[len(path)-1].(*parser.MatrixSelector); !ok {
		return false
	}
	call, ok := path[len(path)-2].(*parser.Call)
	if !ok {
		return false
	}
	return slices.Contains(counterFuncs, call.Func.Name)
}

// IsCounterSeries reports whether a series name is read as a counter:
// a _total counter or a component of a classic histogram.
func IsCounterSeries(name string) bool {
	for _, suf := range []string{"_total", "_bucket", "_count", "_sum"} {
		if strings.HasSuffix(name, suf) {
			return true
		}
	}
	return false
}

// Check parses expr and returns every violation of the contract, joined.
func (c Checker) Check(expr string) error {
	sels, err := Parse(expr)
	if err != nil {
		return err
	}
	var errs []error
	for _, s := range sels {
		if err := c.checkSelector(s); err != nil {
			errs = append(errs, fmt.Errorf("in %q: %w", expr, err))
		}
		if IsCounterSeries(s.Metric) && !s.InCounterFunc {
			errs = append(errs, fmt.Errorf("in %q: counter %s read outside rate/irate/increase", expr, s.Metric))
		}
	}
	return errors.Join(errs...)
}

// CheckSelector checks a lone series selector such as the first argument
// of Grafana's label_values().
func (c Checker) CheckSelector(sel string) error {
	matchers, err := promql.ParseMetricSelector(sel)
	if err != nil {
		return fmt.Errorf("parse selector %q: %w", sel, err)
	}
	s := Selector{Matchers: matchers}
	s.Metric = metricName(&parser.VectorSelector{LabelMatchers: matchers})
	return c.checkSelector(s)
}

// checkSelector checks that a selector names a known metric and labels.
func (c Checker) checkSelector(s Selector) error {
	if s.Metric == "" {
		return errors.New("selector without a metric name")
	}
	if c.External != nil && c.External(s.Metric) {
		return nil
	}
	allowed, err := c.labelsOf(s.Metric)
	if err != nil {
		return err
	}
	var errs []error
	for _, m := range s.Matchers {
		if m.Name == labels.MetricName {
			continue
		}
		values, ok := allowed[m.Name]
		if !ok {
			errs = append(errs, fmt.Errorf("metric %s has no label %q", s.Metric, m.Name))
			continue
		}
		if values != nil && m.Type == labels.MatchEqual && !slices.Contains(values, m.Value) {
			errs = append(errs, fmt.Errorf("label %s of %s has no value %q (known: %v)", m.Name, s.Metric, m.Value, values))
		}
	}
	return errors.Join(errs...)
}

// labelsOf returns the labels a series may carry, with allowed values.
func (c Checker) labelsOf(series string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, l := range targetLabels {
		out[l] = nil
	}
	if series == "up" {
		return out, nil
	}
	if names, ok := c.Recorded[series]; ok {
		for _, l := range names {
			out[l] = nil
		}
		return out, nil
	}
	m, ok := c.family(series)
	if !ok {
		return nil, fmt.Errorf("unknown metric %s", series)
	}
	for l, v := range m.Labels {
		out[l] = v
	}
	if m.Type == "histogram" && strings.HasSuffix(series, "_bucket") {
		out["le"] = nil
	}
	return out, nil
}

// family finds the contract family of a series name, including the
// _bucket, _sum and _count series of histograms.
func (c Checker) family(series string) (Metric, bool) {
	if m, ok := c.Catalog[series]; ok && m.Type != "histogram" {
		return m, true
	}
	for _, suf := range []string{"_bucket", "_sum", "_count"} {
		if base, ok := strings.CutSuffix(series, suf); ok {
			if m, ok := c.Catalog[base]; ok && m.Type == "histogram" {
				return m, true
			}
		}
	}
	return Metric{}, false
}

// ParseExpr parses a PromQL expression with the default parser options.
func ParseExpr(expr string) (parser.Expr, error) {
	e, err := promql.ParseExpr(expr)
	if err != nil {
		return nil, fmt.Errorf("parse %q: %w", expr, err)
	}
	return e, nil
}
