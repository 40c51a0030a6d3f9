package report

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/servermetrics"
)

// serverLatencies pairs each server-side latency with the client metric it
// is compared with (empty: the client cannot see it).
var serverLatencies = []struct {
	role   servermetrics.Role
	client string
}{
	{servermetrics.TTFT, metrics.TTFT},
	{servermetrics.E2E, metrics.RequestLatency},
	{servermetrics.ITL, metrics.ITL},
	{servermetrics.Queue, ""},
	{servermetrics.Prefill, ""},
	{servermetrics.Decode, ""},
}

// WriteServerMetricsConsole prints the client-versus-server table (latencies
// side by side, the gap client − server being network, load balancer and
// client overhead), the server's own state, the GPU telemetry, and which
// endpoints could not be scraped, then the export paths. Server quantiles
// are bucket estimates, marked "~". It prints nothing when no endpoint was
// configured.
func WriteServerMetricsConsole(w io.Writer, sm *servermetrics.Result, res *metrics.Result, exports []string, opt ConsoleOptions) error {
	if sm == nil || len(sm.Endpoints) == 0 {
		return nil
	}
	width := max(opt.Width, minConsoleWidth)
	var b strings.Builder
	lat := latencyTable(sm, res)
	for _, t := range []*table{lat, stateTable(sm, res), gpuTable(sm, res)} {
		if len(t.rows) > 0 {
			b.WriteString("\n")
			t.render(&b, width, opt.Color)
		}
	}
	if len(lat.rows) > 0 {
		b.WriteString("Server quantiles marked ~ are bucket estimates (PromQL's histogram_quantile over the run's bucket increases); avg is exact.\n")
		b.WriteString("Gap = client − server: network, load balancer and client overhead.\n")
		var names []string
		for _, l := range serverLatencies {
			if name, h, ok := sm.Histogram(l.role); ok && h.Count > 0 {
				names = append(names, name)
			}
		}
		b.WriteString("Server side from: " + strings.Join(names, ", ") + "\n")
	}
	for _, e := range sm.Endpoints {
		switch {
		case !e.OK():
			fmt.Fprintf(&b, "Not scraped: %s (%s metrics; %d attempts failed: %s)\n", e.URL, e.Kind, e.Failures, e.LastError)
		case e.Failures > 0:
			fmt.Fprintf(&b, "Partly scraped: %s (%d of %d attempts failed: %s)\n", e.URL, e.Failures, e.Fetches, e.LastError)
		}
	}
	for _, p := range exports {
		fmt.Fprintf(&b, "Server Metrics Export: %s\n", p)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func latencyTable(sm *servermetrics.Result, res *metrics.Result) *table {
	t := &table{title: "Client vs Server (server: its own /metrics)", titleStyle: "italic"}
	t.columns = append(t.columns, column{header: "Metric", style: "cyan"})
	for _, h := range []string{"client avg", "server avg", "gap avg", "client p50", "server p50", "client p99", "server p99"} {
		t.columns = append(t.columns, column{header: h, style: "green"})
	}
	for _, l := range serverLatencies {
		_, h, ok := sm.Histogram(l.role)
		if !ok || h.Count == 0 {
			continue
		}
		row := []cell{{text: l.role.Title + " (ms)"}}
		c, hasClient := res.Get(l.client)
		hasClient = hasClient && l.client != "" && c.Stats.Count > 0
		serverAvg := h.Avg * 1000
		if hasClient {
			row = append(row, num(c.Stats.Avg), num(serverAvg), num(c.Stats.Avg-serverAvg))
		} else {
			row = append(row, na(), num(serverAvg), na())
		}
		for _, p := range []int{50, 99} {
			if hasClient {
				row = append(row, num(c.Stats.Percentile(p)))
			} else {
				row = append(row, na())
			}
			row = append(row, estimate(h.Estimate(p)*1000))
		}
		t.rows = append(t.rows, row)
	}
	return t
}

// rangeColumns are the state and GPU tables' columns.
var rangeColumns = []string{"min", "avg", "max", "total"}

func rangeTable(title string) *table {
	t := &table{title: title, titleStyle: "italic"}
	t.columns = append(t.columns, column{header: "Metric", style: "cyan"})
	for _, h := range rangeColumns {
		t.columns = append(t.columns, column{header: h, style: "green"})
	}
	return t
}

// gaugeRow adds a min/avg/max row for role's gauge, scaled.
func gaugeRow(t *table, sm *servermetrics.Result, role servermetrics.Role, unit string, scale float64) {
	name, g, ok := sm.Gauge(role)
	if !ok {
		return
	}
	t.rows = append(t.rows, []cell{{text: role.Title + " (" + unit + ")\n" + name},
		num(g.Min * scale), num(g.Avg * scale), num(g.Max * scale), na()})
}

func totalRow(t *table, label string, v float64) {
	t.rows = append(t.rows, []cell{{text: label}, na(), na(), na(), num(v)})
}

func stateTable(sm *servermetrics.Result, res *metrics.Result) *table {
	t := rangeTable("Server State")
	for _, role := range []servermetrics.Role{servermetrics.Finished, servermetrics.Preempted} {
		if name, total, ok := sm.CounterTotal(role); ok {
			totalRow(t, role.Title+" (requests)\n"+name, total)
		}
	}
	if _, _, ok := sm.CounterTotal(servermetrics.Finished); ok {
		totalRow(t, "Requests Sent by the Client (requests)", float64(res.Valid+res.Invalid))
	}
	gaugeRow(t, sm, servermetrics.KVCache, "%", 100)
	gaugeRow(t, sm, servermetrics.Running, "requests", 1)
	gaugeRow(t, sm, servermetrics.Waiting, "requests", 1)
	return t
}

func gpuTable(sm *servermetrics.Result, res *metrics.Result) *table {
	t := rangeTable("GPU Telemetry (dcgm-exporter)")
	gaugeRow(t, sm, servermetrics.GPUUtil, "%", 1)
	gaugeRow(t, sm, servermetrics.GPUMem, "MiB", 1)
	gaugeRow(t, sm, servermetrics.GPUPow, "W", 1)
	name, mj, ok := sm.CounterTotal(servermetrics.GPUEnergy)
	if !ok {
		return t
	}
	joules := mj / 1000
	totalRow(t, "GPU Energy (J)\n"+name, joules)
	if n := res.Valid + res.Invalid; n > 0 {
		totalRow(t, "Energy per Request (J)", joules/float64(n))
	}
	if out, ok := res.Get(metrics.TotalOutputTokens); ok && out.Value > 0 {
		totalRow(t, "Energy per Output Token (J)", joules/out.Value)
	}
	return t
}

func num(v float64) cell {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return na()
	}
	return cell{text: comma2(v)}
}

func estimate(v float64) cell {
	c := num(v)
	if !c.dim {
		c.text = "~" + c.text
	}
	return c
}

func na() cell { return cell{text: "N/A", dim: true} }
