package plot

import (
	"fmt"

	gonum "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
)

// ttftVsAudio plots each request's TTFT against the seconds of audio it sent,
// with a least-squares line when the audio lengths vary. It returns nil when
// no streamed request carried audio.
func ttftVsAudio(ss []sample, title string) (*gonum.Plot, error) {
	var xys plotter.XYs
	for _, s := range ss {
		if v, ok := s.m.Get(metrics.TTFT); ok && s.audio > 0 {
			xys = append(xys, plotter.XY{X: s.audio, Y: v})
		}
	}
	if len(xys) == 0 {
		return nil, nil
	}
	d, _ := metrics.Lookup(metrics.TTFT)
	p := newPlot(title, "audio length (s)", d.Header+" ("+d.Unit+")")
	p.Y.Min = 0
	s, err := scatter(xys, blue, draw.CircleGlyph{}, vg.Points(2.5))
	if err != nil {
		return nil, fmt.Errorf("TTFT against audio length: %w", err)
	}
	p.Add(s)
	p.Legend.Add(fmt.Sprintf("requests (%d)", len(xys)), s)
	if a, b, ok := fitLine(xys); ok {
		lo, hi := xys[0].X, xys[0].X
		for _, xy := range xys {
			lo, hi = min(lo, xy.X), max(hi, xy.X)
		}
		l, err := plotter.NewLine(plotter.XYs{{X: lo, Y: a + b*lo}, {X: hi, Y: a + b*hi}})
		if err != nil {
			return nil, fmt.Errorf("TTFT against audio length: %w", err)
		}
		l.LineStyle.Color = orange
		l.LineStyle.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("fit: %.4g ms + %.4g ms per audio second", a, b), l)
	}
	return p, nil
}

// fitLine is the least-squares line y = a + b·x through xys; ok is false when
// x does not vary.
func fitLine(xys plotter.XYs) (a, b float64, ok bool) {
	n := float64(len(xys))
	var sx, sy float64
	for _, p := range xys {
		sx += p.X
		sy += p.Y
	}
	mx, my := sx/n, sy/n
	var sxx, sxy float64
	for _, p := range xys {
		sxx += (p.X - mx) * (p.X - mx)
		sxy += (p.X - mx) * (p.Y - my)
	}
	if sxx <= 1e-12*n {
		return 0, 0, false
	}
	b = sxy / sxx
	return my - b*mx, b, true
}
