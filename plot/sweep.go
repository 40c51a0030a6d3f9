package plot

import (
	"fmt"
	"image/color"
	"math"

	gonum "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// File names of a sweep's capacity charts.
const (
	SweepPerUserFile = "sweep_throughput_vs_per_user.png"
	SweepTTFTFile    = "sweep_throughput_vs_ttft.png"
	SweepITLFile     = "sweep_throughput_vs_itl.png"
)

// SweepPoint is one load of a sweep, with the figures of its run (the means
// across repeated runs): output token throughput against what one user sees.
type SweepPoint struct {
	Label            string  // "c=8", "rate=4"
	OutputThroughput float64 // tokens/sec, all users
	PerUser          float64 // tokens/sec/user, the median request's
	TTFTp50, TTFTp99 float64 // ms
	ITLp50, ITLp99   float64 // ms
	MeetsSLO         bool    // every request met --goodput (only with HasSLO)
}

// Knee is the index of the knee of the capacity curve — points in order of
// load, output throughput against per-user throughput — or -1 when there is
// none: fewer than three points, or a curve that never bends (throughput
// still scales at the highest load). It is the point farthest from the
// straight line through the first and last points, each axis scaled by its
// largest value (the Kneedle idea), if that distance is at least kneeMin:
// where adding load stops buying throughput and starts costing each user.
func Knee(pts []SweepPoint) int {
	if len(pts) < 3 {
		return -1
	}
	var maxX, maxY float64
	for _, p := range pts {
		maxX, maxY = math.Max(maxX, p.PerUser), math.Max(maxY, p.OutputThroughput)
	}
	if maxX <= 0 || maxY <= 0 {
		return -1
	}
	at := func(i int) (float64, float64) { return pts[i].PerUser / maxX, pts[i].OutputThroughput / maxY }
	x0, y0 := at(0)
	x1, y1 := at(len(pts) - 1)
	length := math.Hypot(x1-x0, y1-y0)
	if length == 0 {
		return -1
	}
	knee, far := -1, kneeMin
	for i := 1; i < len(pts)-1; i++ {
		x, y := at(i)
		if d := math.Abs((x1-x0)*(y0-y)-(x0-x)*(y1-y0)) / length; d >= far {
			knee, far = i, d
		}
	}
	return knee
}

// kneeMin is the least bend (a share of the axes) that makes a knee: run to
// run noise of a few percent is no knee.
const kneeMin = 0.05

// HighestMeetingSLO is the index of the highest load (the last point) that
// meets the SLOs, or -1 when none does.
func HighestMeetingSLO(pts []SweepPoint) int {
	for i := len(pts) - 1; i >= 0; i-- {
		if pts[i].MeetsSLO {
			return i
		}
	}
	return -1
}

// WriteSweep writes a sweep's capacity charts into out: output throughput
// against per-user throughput, against TTFT and against ITL (p50 and p99),
// with the knee marked and, when hasSLO, the highest load meeting the SLOs.
func WriteSweep(out string, pts []SweepPoint, hasSLO bool) ([]string, error) {
	if len(pts) == 0 {
		return nil, nil
	}
	knee, slo := Knee(pts), -1
	if hasSLO {
		slo = HighestMeetingSLO(pts)
	}
	curve := func(title, x string, series []sweepSeries) func() (*gonum.Plot, error) {
		return func() (*gonum.Plot, error) { return sweepChart(pts, title, x, series, knee, slo) }
	}
	return write(out, []chart{
		{SweepPerUserFile, curve("Output throughput against per-user throughput", "output tokens/sec/user (median request)",
			[]sweepSeries{{"runs, in order of load", func(p SweepPoint) float64 { return p.PerUser }, purple, false}})},
		{SweepTTFTFile, curve("Output throughput against time to first token", "TTFT (ms)", []sweepSeries{
			{"TTFT p50", func(p SweepPoint) float64 { return p.TTFTp50 }, blue, false},
			{"TTFT p99", func(p SweepPoint) float64 { return p.TTFTp99 }, blue, true}})},
		{SweepITLFile, curve("Output throughput against inter token latency", "ITL (ms)", []sweepSeries{
			{"ITL p50", func(p SweepPoint) float64 { return p.ITLp50 }, orange, false},
			{"ITL p99", func(p SweepPoint) float64 { return p.ITLp99 }, orange, true}})},
	})
}

type legendEntry struct {
	name  string
	thumb gonum.Thumbnailer
}

type sweepSeries struct {
	name   string
	x      func(SweepPoint) float64
	c      color.Color
	dashed bool
}

// sweepChart draws each series as a line through the loads in order, each
// point labelled with its load, and rings the knee and the SLO point.
func sweepChart(pts []SweepPoint, title, xLabel string, series []sweepSeries, knee, slo int) (*gonum.Plot, error) {
	p := newPlot(title, xLabel, "output tokens/sec")
	var marks []legendEntry
	p.X.Min, p.Y.Min = 0, 0
	for si, s := range series {
		xys := make(plotter.XYs, len(pts))
		labels := make([]string, len(pts))
		for i, pt := range pts {
			xys[i] = plotter.XY{X: s.x(pt), Y: pt.OutputThroughput}
			labels[i] = pt.Label
		}
		l, dots, err := plotter.NewLinePoints(xys)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", title, err)
		}
		l.LineStyle.Color, l.LineStyle.Width = s.c, vg.Points(1.5)
		dots.GlyphStyle.Color, dots.GlyphStyle.Shape, dots.GlyphStyle.Radius = s.c, draw.CircleGlyph{}, vg.Points(3)
		if s.dashed {
			l.LineStyle.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
			dots.GlyphStyle.Shape = draw.BoxGlyph{}
		}
		p.Add(l, dots)
		p.Legend.Add(s.name, l, dots)
		if si == 0 { // the load labels once, beside the first series
			lb, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", title, err)
			}
			for i := range lb.TextStyle {
				lb.TextStyle[i].XAlign = draw.XLeft
				lb.TextStyle[i].Font.Variant = "Sans"
			}
			lb.Offset = vg.Point{X: vg.Points(6), Y: vg.Points(2)}
			p.Add(lb)
		}
		for _, m := range []struct {
			i    int
			name string
			c    color.Color
			r    vg.Length
		}{{knee, "knee", red, 7}, {slo, "highest load meeting the SLOs", green, 10}} {
			if m.i < 0 {
				continue
			}
			ring, err := scatter(plotter.XYs{xys[m.i]}, m.c, draw.RingGlyph{}, m.r)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", title, err)
			}
			p.Add(ring)
			if si == 0 {
				marks = append(marks, legendEntry{m.name, ring})
			}
		}
	}
	for _, m := range marks { // after the series, so the legend lists them first
		p.Legend.Add(m.name, m.thumb)
	}
	p.X.Max *= 1.15 // room for the labels of the rightmost loads
	return p, nil
}
