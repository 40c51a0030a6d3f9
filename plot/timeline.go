package plot

import (
	"fmt"

	gonum "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
)

// overTime plots tag (in ms) of each request against when it started, with
// failed requests marked by red crosses on the time axis. It returns nil when
// no request has tag and none failed.
func overTime(ss []sample, tag, title string) (*gonum.Plot, error) {
	var ok, failed plotter.XYs
	for _, s := range ss {
		if v, have := s.m.Get(tag); have {
			ok = append(ok, plotter.XY{X: s.at, Y: v})
		} else if !s.valid {
			failed = append(failed, plotter.XY{X: s.at, Y: 0})
		}
	}
	if len(ok) == 0 && (len(failed) == 0 || tag != metrics.RequestLatency) {
		return nil, nil
	}
	d, _ := metrics.Lookup(tag)
	p := newPlot(title, "request start (s from the first request)", d.Header+" ("+d.Unit+")")
	p.Y.Min = 0
	if len(ok) > 0 {
		s, err := scatter(ok, blue, draw.CircleGlyph{}, vg.Points(2.5))
		if err != nil {
			return nil, fmt.Errorf("%s over time: %w", tag, err)
		}
		p.Add(s)
		p.Legend.Add(fmt.Sprintf("successful requests (%d)", len(ok)), s)
	}
	if len(failed) > 0 {
		s, err := scatter(failed, red, boldCross{}, vg.Points(4))
		if err != nil {
			return nil, fmt.Errorf("%s over time: %w", tag, err)
		}
		p.Add(s)
		p.Legend.Add(fmt.Sprintf("failed requests (%d)", len(failed)), s)
	}
	return p, nil
}
