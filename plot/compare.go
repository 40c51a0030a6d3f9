package plot

import (
	"fmt"
	"image/color"
	"sort"

	gonum "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
)

// runResult is one run with its aggregate from metrics.Aggregate.
type runResult struct {
	Run
	res *metrics.Result
}

// aggregate computes each run's result, in order of concurrency, then name.
func aggregate(runs []Run) []runResult {
	out := make([]runResult, len(runs))
	for i, r := range runs {
		out[i] = runResult{Run: r, res: metrics.Aggregate(r.Records, metrics.AggregateOptions{})}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Concurrency != out[j].Concurrency {
			return out[i].Concurrency < out[j].Concurrency
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// label names a run on a chart: its concurrency when known, else its name.
func (r runResult) label() string {
	if r.Concurrency > 0 {
		return fmt.Sprintf("c=%d", r.Concurrency)
	}
	return r.Name
}

// latencyVsConcurrency draws the p50 and p99 of TTFT and request latency of
// each run against its concurrency. It returns nil when no run has a known
// concurrency and a latency.
func latencyVsConcurrency(rs []runResult) (*gonum.Plot, error) {
	series := []struct {
		tag    string
		q      int
		c      color.Color
		dashed bool
	}{
		{metrics.TTFT, 50, blue, false}, {metrics.TTFT, 99, blue, true},
		{metrics.RequestLatency, 50, orange, false}, {metrics.RequestLatency, 99, orange, true},
	}
	p := newPlot("Latency against concurrency", "concurrency", "ms")
	p.Y.Min = 0
	drawn := 0
	for _, s := range series {
		var xys plotter.XYs
		for _, r := range rs {
			if m, ok := r.res.Get(s.tag); ok && r.Concurrency > 0 && m.Stats.Count > 0 {
				xys = append(xys, plotter.XY{X: float64(r.Concurrency), Y: m.Stats.Percentile(s.q)})
			}
		}
		if len(xys) == 0 {
			continue
		}
		l, pts, err := plotter.NewLinePoints(xys)
		if err != nil {
			return nil, fmt.Errorf("latency against concurrency: %w", err)
		}
		l.LineStyle.Color, l.LineStyle.Width = s.c, vg.Points(1.5)
		pts.GlyphStyle.Color, pts.GlyphStyle.Shape = s.c, draw.CircleGlyph{}
		if s.dashed {
			l.LineStyle.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
			pts.GlyphStyle.Shape = draw.BoxGlyph{}
		}
		p.Add(l, pts)
		d, _ := metrics.Lookup(s.tag)
		p.Legend.Add(fmt.Sprintf("%s p%d", d.Header, s.q), l, pts)
		drawn++
	}
	if drawn == 0 {
		return nil, nil
	}
	p.Legend.Left = true
	return p, nil
}

// throughputVsPerUser draws each run's total output token throughput against
// its average per-user output token throughput: the serving trade-off, where
// more concurrency buys total throughput at the cost of each user's speed.
// It returns nil when no run was streamed.
func throughputVsPerUser(rs []runResult) (*gonum.Plot, error) {
	var xys plotter.XYs
	var labels []string
	for _, r := range rs {
		user, ok1 := r.res.Get(metrics.OutputTPSPerUser)
		total, ok2 := r.res.Get(metrics.OutputTokenThroughput)
		if !ok1 || !ok2 || user.Stats.Count == 0 {
			continue
		}
		xys = append(xys, plotter.XY{X: user.Stats.Avg, Y: total.Value})
		labels = append(labels, r.label())
	}
	if len(xys) == 0 {
		return nil, nil
	}
	ud, _ := metrics.Lookup(metrics.OutputTPSPerUser)
	td, _ := metrics.Lookup(metrics.OutputTokenThroughput)
	p := newPlot("Total against per-user output token throughput",
		ud.Header+" ("+ud.Unit+")", td.Header+" ("+td.Unit+")")
	p.X.Min, p.Y.Min = 0, 0
	l, pts, err := plotter.NewLinePoints(xys)
	if err != nil {
		return nil, fmt.Errorf("throughput against per-user throughput: %w", err)
	}
	l.LineStyle.Color, l.LineStyle.Width = purple, vg.Points(1.5)
	pts.GlyphStyle.Color, pts.GlyphStyle.Shape, pts.GlyphStyle.Radius = purple, draw.CircleGlyph{}, vg.Points(3.5)
	lb, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return nil, fmt.Errorf("throughput against per-user throughput: %w", err)
	}
	for i := range lb.TextStyle {
		lb.TextStyle[i].XAlign = draw.XLeft
		lb.TextStyle[i].Font.Variant = "Sans"
	}
	lb.Offset = vg.Point{X: vg.Points(6), Y: vg.Points(2)}
	p.Add(l, pts, lb)
	p.X.Max *= 1.1 // room for the labels of the rightmost runs
	p.Legend.Add("runs, in order of concurrency", l, pts)
	return p, nil
}
