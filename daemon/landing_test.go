package daemon

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
	"golang.org/x/net/html"

	"github.com/aiperf-exporter/aiperf-exporter/collector"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// landingResults are the probes of scenario "s": a warmup, four successes with
// TTFT 10..40 ms and a failure whose error text tries to inject markup.
func landingResults(t0 time.Time) []Result {
	rs := []Result{{Time: t0, Scenario: "s", RequestID: "warm", Phase: record.PhaseWarmup, Success: true,
		TTFT: time.Millisecond, Latency: 2 * time.Millisecond, InputTokens: 1000}}
	for i := 1; i <= 4; i++ {
		rs = append(rs, Result{Time: t0.Add(time.Duration(i) * time.Second), Scenario: "s", Model: "m", Target: "t",
			RequestID: "ok-" + strconv.Itoa(i), Phase: record.PhaseProfiling, Counted: true, Success: true, HTTPStatus: 200,
			TTFT: time.Duration(i) * 10 * time.Millisecond, Latency: time.Duration(i) * 100 * time.Millisecond,
			InputTokens: 20, OutputTokens: 7, AudioSeconds: 0.5})
	}
	return append(rs, Result{Time: t0.Add(5 * time.Second), Scenario: "s", RequestID: "bad-<b>1</b>",
		Phase: record.PhaseProfiling, Counted: true, Reason: record.ReasonHTTP5xx, HTTPStatus: 500, InputTokens: 20, OutputTokens: -1,
		Error: `<script>alert("x")</script>`})
}

// fetchLanding serves the landing page of h (with failures, if not nil) over
// loopback and returns it parsed and as text.
func fetchLanding(t *testing.T, h *History, failures func(string) []FailureStat) (*html.Node, string) {
	t.Helper()
	srv := httptest.NewServer(landing(h, func() bool { return true }, failures, DefaultMetricsPath))
	defer srv.Close()
	resp, body := testkit.Get(t, srv.URL+"/", nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("landing page: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc, body
}

// find returns the elements named tag whose class attribute holds class ("" for any).
func find(n *html.Node, tag, class string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag && (class == "" || hasClass(n, class)) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func TestLandingPage(t *testing.T) {
	h := NewHistory(10)
	for _, r := range landingResults(time.Now().Add(-time.Minute)) {
		h.Add(r)
	}
	doc, body := fetchLanding(t, h, nil)

	rows := find(doc, "tr", "probe")
	if len(rows) != 6 {
		t.Fatalf("%d probe rows, want 6 (warmup included in the table)", len(rows))
	}
	if got := text(rows[0]); !strings.Contains(got, "http_5xx") || !strings.Contains(got, `<script>alert("x")</script>`) || !hasClass(rows[0], "error") {
		t.Errorf("newest row is not the escaped failure: %q", got)
	}
	if got := text(rows[1]); !strings.Contains(got, "ok-4") || !strings.Contains(got, "40.0") || !strings.Contains(got, "400.0") {
		t.Errorf("second row is not ok-4 with TTFT 40 ms, latency 400 ms: %q", got)
	}
	// Counters leave the warmup out, like the Prometheus counters.
	for class, want := range map[string]string{"probes": "5", "successes": "4", "errors": "1"} {
		if got := find(doc, "b", class); len(got) != 1 || text(got[0]) != want {
			t.Errorf("counter %s: %v, want %s", class, got, want)
		}
	}
	for _, want := range []string{"http_5xx: 1", ">100<", "2.0 s</b>", "25.0 / 39.7 ms"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}

	svgs := find(doc, "svg", "chart")
	if len(svgs) != 2 {
		t.Fatalf("%d charts, want TTFT and latency", len(svgs))
	}
	for _, s := range svgs {
		dots, crosses := find(s, "circle", "ok"), find(s, "path", "err")
		if len(dots) != 4 || len(crosses) != 1 {
			t.Errorf("%s: %d dots and %d crosses, want 4 and 1 (no warmup)", attr(s, "aria-label"), len(dots), len(crosses))
			continue
		}
		// Dots run oldest to newest: left to right, and up as the figures grow.
		for i := 1; i < len(dots); i++ {
			x0, _ := strconv.ParseFloat(attr(dots[i-1], "cx"), 64)
			x1, _ := strconv.ParseFloat(attr(dots[i], "cx"), 64)
			y0, _ := strconv.ParseFloat(attr(dots[i-1], "cy"), 64)
			y1, _ := strconv.ParseFloat(attr(dots[i], "cy"), 64)
			if x1 <= x0 || y1 >= y0 {
				t.Errorf("%s: dot %d at (%v,%v) after (%v,%v)", attr(s, "aria-label"), i, x1, y1, x0, y0)
			}
		}
	}
	// Closed networks: nothing is loaded from elsewhere and no injected markup runs.
	if n := len(find(doc, "script", "")); n != 1 {
		t.Errorf("%d scripts, want only the refresh script", n)
	}
	for _, tag := range []string{"script", "img", "link", "iframe"} {
		for _, n := range find(doc, tag, "") {
			if attr(n, "src") != "" || attr(n, "href") != "" {
				t.Errorf("<%s> loads %s%s", tag, attr(n, "src"), attr(n, "href"))
			}
		}
	}
	if strings.Contains(body, "bad-<b>") {
		t.Error("request id not escaped")
	}
}

func TestLandingPageEmpty(t *testing.T) {
	doc, body := fetchLanding(t, NewHistory(3), nil)
	if !strings.Contains(body, "No probe results yet") || len(find(doc, "svg", "")) != 0 {
		t.Fatalf("empty page:\n%s", body)
	}
}

func TestNiceCeil(t *testing.T) {
	for _, c := range []struct{ in, want float64 }{{0, 1}, {-3, 1}, {0.7, 1}, {1, 1}, {1.2, 2}, {33, 50}, {50, 50}, {51, 100}, {420, 500}, {0.012, 0.02}} {
		if got := niceCeil(c.in); got != c.want {
			t.Errorf("niceCeil(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

// The landing page's totals and the collector's counters count the same records
// the same way: one definition of "does this record count" (record.Counted) and
// one of output tokens (reasoning excluded, as AIPerf's output_token_count).
func TestLandingTotalsMatchCollector(t *testing.T) {
	reasoning := func(id string, phase record.Phase, late bool) *record.Record {
		return &record.Record{RequestID: id, Scenario: "s", Model: "m", Target: "t", Phase: phase,
			LateForDuration: late, Streaming: true, StartNs: 1_760_000_000_000_000_000, InputTokens: 10,
			OutputTokens: 5, ReasoningTokens: 3, HTTPStatus: 200, EndOffset: 30 * time.Millisecond,
			Responses: []record.Response{{Offset: 10 * time.Millisecond, Kind: record.Reasoning},
				{Offset: 20 * time.Millisecond, Kind: record.Content}}}
	}
	failed := &record.Record{RequestID: "e", Scenario: "s", Model: "m", Target: "t", InputTokens: 10,
		HTTPStatus: 500, Error: &record.Error{Code: 500, Message: "boom"}, EndOffset: time.Millisecond}
	records := []*record.Record{
		reasoning("ok", record.PhaseProfiling, false),
		reasoning("warm", record.PhaseWarmup, false),
		reasoning("late", record.PhaseProfiling, true),
		failed,
	}

	reg := prometheus.NewRegistry()
	c, err := collector.New(reg, []collector.Scenario{{Name: "s", Models: []string{"m"}, Targets: []string{"t"}}})
	if err != nil {
		t.Fatal(err)
	}
	d := &Daemon{Collector: c, History: NewHistory(10), Logger: zap.NewNop()}
	for _, r := range records {
		d.sink(r)
	}

	got := d.History.Totals("s")
	counter := counters(t, reg)
	checks := []struct {
		name           string
		landing, scrap float64
		want           float64
	}{
		{"requests", float64(got.Probes), counter["aiperf_requests_total"], 2},
		{"errors", float64(got.Failed()), counter["aiperf_request_errors_total"], 1},
		{"input tokens", float64(got.InputTokens), counter["aiperf_input_tokens_total"], 20},
		{"output tokens", float64(got.OutputTokens), counter["aiperf_output_tokens_total"], 5},
	}
	for _, c := range checks {
		if c.landing != c.want || c.scrap != c.want {
			t.Errorf("%s: landing page %v, collector %v, want %v for both", c.name, c.landing, c.scrap, c.want)
		}
	}
	if res := d.History.Recent("s"); len(res) != len(records) || res[len(res)-1].OutputTokens != 5 {
		t.Errorf("recent probes %+v: want all %d shown, the first with 5 output tokens", res, len(records))
	}
}

// counters sums each counter family of reg over its series.
func counters(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			if m.GetCounter() != nil {
				out[mf.GetName()] += m.GetCounter().GetValue()
			}
		}
	}
	return out
}
