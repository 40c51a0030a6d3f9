package daemon

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
	"time"
)

// Size of a landing-page chart, in SVG user units (CSS pixels).
const (
	svgW, svgH             = 420.0, 150.0
	svgLeft, svgRight      = 52.0, 10.0
	svgTop, svgBottom      = 22.0, 22.0
	svgPlotW, svgPlotH     = svgW - svgLeft - svgRight, svgH - svgTop - svgBottom
	svgOK, svgErr, svgAxis = "#1f77b4", "#d62728", "#888"
)

// svgChart draws results (newest first, as History.Recent returns them) as an
// inline SVG: value(r) in ms of each successful probe against its finishing
// time, joined by a line, and each failed probe as a red cross on the time axis.
// Every label is escaped; nothing is fetched from anywhere.
func svgChart(title string, results []Result, value func(Result) time.Duration) template.HTML {
	if len(results) == 0 {
		return ""
	}
	newest, oldest := results[0].Time, results[len(results)-1].Time
	span := newest.Sub(oldest).Seconds()
	top := 0.0
	for _, r := range results {
		if r.Success {
			top = math.Max(top, ms(value(r)))
		}
	}
	top = niceCeil(top)
	x := func(t time.Time) float64 {
		if span <= 0 {
			return svgLeft + svgPlotW
		}
		return svgLeft + svgPlotW*(1-newest.Sub(t).Seconds()/span)
	}
	y := func(v float64) float64 { return svgTop + svgPlotH*(1-v/top) }

	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" role="img" aria-label="%s">`,
		svgW, svgH, svgW, svgH, html.EscapeString(title))
	fmt.Fprintf(&b, `<text x="%g" y="14" font-size="12" font-weight="bold">%s</text>`, svgLeft, html.EscapeString(title))
	// Axes, the top value and the time span.
	fmt.Fprintf(&b, `<path d="M%g %gV%gH%g" fill="none" stroke="%s"/>`, svgLeft, svgTop, svgTop+svgPlotH, svgLeft+svgPlotW, svgAxis)
	fmt.Fprintf(&b, `<path d="M%g %gH%g" stroke="#ddd" stroke-dasharray="3 3"/>`, svgLeft, svgTop, svgLeft+svgPlotW)
	fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="10" text-anchor="end">%s ms</text>`, svgLeft-4, svgTop+4, fmtMs(top))
	fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="10" text-anchor="end">0</text>`, svgLeft-4, svgTop+svgPlotH+4)
	fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="10">%s ago</text>`, svgLeft, svgH-6, agoText(span))
	fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="10" text-anchor="end">latest %s</text>`, svgLeft+svgPlotW, svgH-6,
		newest.Format("15:04:05"))

	var line []string
	var dots, crosses strings.Builder
	for i := len(results) - 1; i >= 0; i-- { // oldest first
		r := results[i]
		px := x(r.Time)
		if !r.Success {
			py := svgTop + svgPlotH
			fmt.Fprintf(&crosses, `<path class="err" d="M%.1f %.1fl6 6m0 -6l-6 6" stroke="%s" stroke-width="2"><title>%s %s</title></path>`,
				px-3, py-3, svgErr, html.EscapeString(r.Time.Format("15:04:05.000")), html.EscapeString(string(r.Reason)))
			continue
		}
		v := ms(value(r))
		py := y(v)
		line = append(line, fmt.Sprintf("%.1f,%.1f", px, py))
		fmt.Fprintf(&dots, `<circle class="ok" cx="%.1f" cy="%.1f" r="2.5" fill="%s"><title>%s %s ms</title></circle>`,
			px, py, svgOK, html.EscapeString(r.Time.Format("15:04:05.000")), fmtMs(v))
	}
	if len(line) > 1 {
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-opacity="0.5"/>`, strings.Join(line, " "), svgOK)
	}
	b.WriteString(dots.String())
	b.WriteString(crosses.String())
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // numbers and escaped text only
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func fmtMs(v float64) string {
	if v >= 100 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.3g", v)
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten (1 when v <= 0), so
// the chart's top is a round figure.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p*(1+1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// agoText is a short duration such as "42 s" or "3.5 min".
func agoText(sec float64) string {
	switch {
	case sec < 120:
		return fmt.Sprintf("%.0f s", sec)
	case sec < 7200:
		return fmt.Sprintf("%.1f min", sec/60)
	default:
		return fmt.Sprintf("%.1f h", sec/3600)
	}
}
