package daemon

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/common/version"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
)

//go:embed landing.html
var landingHTML string

var landingTmpl = template.Must(template.New("landing").Funcs(template.FuncMap{
	"ms": func(d time.Duration) string {
		if d == 0 {
			return ""
		}
		return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond))
	},
	"pct": func(n, of int) string {
		if of == 0 {
			return "–"
		}
		return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(of))
	},
	"ago": func(t, now time.Time) string {
		if t.IsZero() {
			return "never"
		}
		return agoText(max(now.Sub(t).Seconds(), 0)) + " ago"
	},
}).Parse(landingHTML))

// recentStats are percentiles over the probes a scenario's ring holds.
type recentStats struct {
	TTFT, Latency metrics.Summary // in ms
	PerMinute     float64         // probes finished per minute over the ring's span
}

type scenarioView struct {
	Name          string
	Results       []Result
	Totals        Totals
	Recent        recentStats
	TTFTChart     template.HTML
	LatencyChart  template.HTML
	HasTTFT       bool
	SuccessRecent int
	Failures      []FailureStat // by target and reason, since the scenarios were loaded
}

// newScenarioView summarises the recent results (newest first) and totals of
// one scenario for the page.
func newScenarioView(name string, results []Result, totals Totals) scenarioView {
	v := scenarioView{Name: name, Results: results, Totals: totals}
	var counted []Result // as in the totals: record.Counted
	var ttft, lat []float64
	for _, r := range results {
		if !r.Counted {
			continue
		}
		counted = append(counted, r)
		if !r.Success {
			continue
		}
		v.SuccessRecent++
		lat = append(lat, ms(r.Latency))
		if r.TTFT > 0 {
			ttft = append(ttft, ms(r.TTFT))
		}
	}
	v.Recent.TTFT, v.Recent.Latency = metrics.Summarize(ttft), metrics.Summarize(lat)
	if n := len(counted); n > 1 {
		if span := counted[0].Time.Sub(counted[n-1].Time).Minutes(); span > 0 {
			v.Recent.PerMinute = float64(n-1) / span
		}
	}
	v.HasTTFT = len(ttft) > 0
	if v.HasTTFT {
		v.TTFTChart = svgChart("Time to first token (ms)", counted, func(r Result) time.Duration { return r.TTFT })
	}
	v.LatencyChart = svgChart("Request latency (ms)", counted, func(r Result) time.Duration { return r.Latency })
	return v
}

// landing serves the landing page: links, and for each scenario its totals,
// charts of the recent probes and the table of them.
func landing(h *History, ready func() bool, failures func(string) []FailureStat, metricsPath string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		data := struct {
			Version     string
			Ready       bool
			Now         time.Time
			MetricsLink string // relative, so the page works behind a path prefix
			Scenarios   []scenarioView
		}{Version: version.Info(), Ready: ready(), Now: time.Now(), MetricsLink: strings.TrimPrefix(metricsPath, "/")}
		for _, s := range h.Scenarios() {
			v := newScenarioView(s, h.Recent(s), h.Totals(s))
			if failures != nil {
				v.Failures = failures(s)
			}
			data.Scenarios = append(data.Scenarios, v)
		}
		var buf bytes.Buffer
		if err := landingTmpl.Execute(&buf, data); err != nil {
			http.Error(w, "render landing page: "+err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(buf.Bytes())
	}
}
