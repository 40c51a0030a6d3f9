package plot

import (
	"fmt"
	"image/color"
	"math"

	gonum "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
)

// distribution draws a histogram of tag over the requests that have it, with
// the p50, p90 and p99 of metrics.Summarize as vertical lines. It returns nil
// when no request has tag.
func distribution(ss []sample, tag, title string) (*gonum.Plot, error) {
	vs := values(ss, tag)
	if len(vs) == 0 {
		return nil, nil
	}
	d, _ := metrics.Lookup(tag)
	p := newPlot(title, d.Header+" ("+d.Unit+")", "requests")
	h, err := plotter.NewHist(plotter.Values(vs), bins(len(vs)))
	if err != nil {
		return nil, fmt.Errorf("%s distribution: %w", tag, err)
	}
	h.FillColor = blue
	h.LineStyle.Color = grey
	h.LineStyle.Width = vg.Points(0.5)
	p.Add(h)
	p.Legend.Add(fmt.Sprintf("%d requests", len(vs)), h)

	sum := metrics.Summarize(vs)
	top := 0.0
	for _, b := range h.Bins {
		top = max(top, b.Weight)
	}
	for _, q := range []struct {
		name string
		v    float64
		c    color.Color
	}{{"p50", sum.P50, green}, {"p90", sum.P90, orange}, {"p99", sum.P99, red}} {
		l, err := plotter.NewLine(plotter.XYs{{X: q.v, Y: 0}, {X: q.v, Y: top}})
		if err != nil {
			return nil, fmt.Errorf("%s distribution: %w", tag, err)
		}
		l.LineStyle.Width = vg.Points(1.5)
		l.LineStyle.Dashes = []vg.Length{vg.Points(4), vg.Points(2)}
		l.LineStyle.Color = q.c
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("%s %.4g %s", q.name, q.v, d.Unit), l)
	}
	return p, nil
}

// bins picks a histogram bin count: the square root of n, between 10 and 60.
func bins(n int) int {
	return min(max(int(math.Ceil(math.Sqrt(float64(n)))), 10), 60)
}
