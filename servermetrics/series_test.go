package servermetrics

import (
	"math"
	"strings"
	"testing"
	"time"
)

// window feeds scrapes one second apart to one endpoint and reduces them.
func window(t *testing.T, scrapes ...string) *Result {
	t.Helper()
	e := newEndpoint("http://127.0.0.1:1/metrics", KindServer)
	at := time.Unix(1000, 0)
	for i, text := range scrapes {
		fams, err := Parse([]byte(text))
		if err != nil {
			t.Fatalf("scrape %d: %v", i, err)
		}
		e.add(Snapshot{At: at.Add(time.Duration(i) * time.Second), Families: fams})
	}
	return result(at, at.Add(time.Duration(len(scrapes))*time.Second), []*endpoint{e})
}

func counterText(v string) string {
	return "# TYPE vllm:num_preemptions_total counter\nvllm:num_preemptions_total{engine=\"0\"} " + v + "\n"
}

func TestCounterIncrease(t *testing.T) {
	for _, c := range []struct {
		name       string
		values     []string
		total      float64
		rate       float64
		wantResets int
	}{
		{"steady", []string{"10", "12", "15"}, 5, 2.5, 0},
		{"no change", []string{"7", "7"}, 0, 0, 0},
		{"reset adds the new value", []string{"10", "14", "3", "5"}, 4 + 3 + 2, 9.0 / 3, 1},
		{"single scrape", []string{"10"}, 0, 0, 0},
		{"NaN and Inf samples are skipped", []string{"10", "NaN", "12", "+Inf", "15"}, 5, 5.0 / 4, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			var scrapes []string
			for _, v := range c.values {
				scrapes = append(scrapes, counterText(v))
			}
			_, total, ok := window(t, scrapes...).CounterTotal(Preempted)
			if !ok {
				t.Fatal("counter not found")
			}
			m, _ := window(t, scrapes...).Lookup("vllm:num_preemptions_total")
			got := m.Series[0].Counter
			if total != c.total || got.Rate != c.rate || got.Resets != c.wantResets {
				t.Errorf("total %v rate %v resets %d, want %v %v %d", total, got.Rate, got.Resets, c.total, c.rate, c.wantResets)
			}
		})
	}
}

// pythonCounter is how Python's prometheus_client (vLLM, SGLang) writes a
// counter: TYPE without "_total", samples with it, and a "_created" stamp.
const pythonCounter = `# HELP vllm:request_success_total Count of successfully processed requests.
# TYPE vllm:request_success counter
vllm:request_success_total{finished_reason="stop",model_name="m"} %s
# HELP vllm:request_success_created Count of successfully processed requests.
# TYPE vllm:request_success_created gauge
vllm:request_success_created{finished_reason="stop",model_name="m"} 1.7e9
`

func TestPythonCounterIsACounter(t *testing.T) {
	res := window(t, strings.Replace(pythonCounter, "%s", "4", 1), strings.Replace(pythonCounter, "%s", "9", 1))
	name, total, ok := res.CounterTotal(Finished)
	if !ok || name != "vllm:request_success_total" || total != 5 {
		t.Fatalf("got %q %v %v, want vllm:request_success_total 5", name, total, ok)
	}
}

func histText(b1, b2, inf, sum string) string {
	return "# TYPE vllm:time_to_first_token_seconds histogram\n" +
		"vllm:time_to_first_token_seconds_bucket{le=\"0.02\"} " + b1 + "\n" +
		"vllm:time_to_first_token_seconds_bucket{le=\"0.04\"} " + b2 + "\n" +
		"vllm:time_to_first_token_seconds_bucket{le=\"+Inf\"} " + inf + "\n" +
		"vllm:time_to_first_token_seconds_sum " + sum + "\n" +
		"vllm:time_to_first_token_seconds_count " + inf + "\n"
}

func TestHistogramDeltas(t *testing.T) {
	for _, c := range []struct {
		name    string
		scrapes []string
		count   float64
		sum     float64
		buckets []float64 // cumulative increases at 0.02, 0.04, +Inf
		resets  int
	}{
		{"before the run is not counted", []string{histText("100", "150", "160", "5"), histText("104", "160", "170", "5.3")},
			10, 0.3, []float64{4, 10, 10}, 0},
		{"reset adds what came after", []string{histText("100", "150", "160", "5"), histText("101", "151", "161", "5.03"), histText("2", "3", "3", "0.07")},
			1 + 3, 0.03 + 0.07, []float64{1 + 2, 1 + 3, 1 + 3}, 1},
		{"idle", []string{histText("1", "2", "2", "0.05"), histText("1", "2", "2", "0.05")},
			0, 0, []float64{0, 0, 0}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, ok := window(t, c.scrapes...).Lookup("vllm:time_to_first_token_seconds")
			if !ok {
				t.Fatal("histogram not found")
			}
			h := m.Series[0].Histogram
			if h.Count != c.count || math.Abs(h.Sum-c.sum) > 1e-9 || h.Resets != c.resets {
				t.Errorf("count %v sum %v resets %d, want %v %v %d", h.Count, h.Sum, h.Resets, c.count, c.sum, c.resets)
			}
			for i, want := range c.buckets {
				if h.Buckets[i].Count != want {
					t.Errorf("bucket %v: %v, want %v", h.Buckets[i].Le, h.Buckets[i].Count, want)
				}
			}
			if c.count > 0 && h.Estimate(50) != Quantile(0.5, h.Buckets) {
				t.Errorf("p50 estimate %v is not the bucket quantile", h.Estimate(50))
			}
			if c.count == 0 && !math.IsNaN(h.Estimate(50)) {
				t.Errorf("p50 of nothing: %v, want NaN", h.Estimate(50))
			}
		})
	}
}

func TestGaugeRange(t *testing.T) {
	g := func(a, b string) string {
		return "# TYPE vllm:kv_cache_usage_perc gauge\nvllm:kv_cache_usage_perc{engine=\"0\"} " + a + "\nvllm:kv_cache_usage_perc{engine=\"1\"} " + b + "\n"
	}
	_, r, ok := window(t, g("0.1", "0.5"), g("0.3", "0.9"), g("0.2", "0.7"), g("+Inf", "-Inf")).Gauge(KVCache)
	if !ok || r.Series != 2 || r.Min != 0.1 || r.Max != 0.9 || math.Abs(r.Avg-0.45) > 1e-12 {
		t.Fatalf("got %+v, want min 0.1 avg 0.45 max 0.9 over 2 series (the infinite samples skipped)", r)
	}
}

func TestParseRejectsGarbage(t *testing.T) {
	for name, body := range map[string]string{
		"empty":       "",
		"html":        "<html><body>oops</body></html>\n",
		"json":        `[{"iter": 1}]`,
		"bad value":   "vllm:num_requests_running abc\n",
		"only HELP":   "# HELP x nothing\n",
		"binary junk": "\x00\x01\x02\xff",
	} {
		if _, err := Parse([]byte(body)); err == nil {
			t.Errorf("%s: parsed without error", name)
		}
	}
}

func TestUnit(t *testing.T) {
	for name, want := range map[string]string{
		"vllm:time_to_first_token_seconds": "seconds",
		"vllm:generation_tokens_total":     "tokens",
		"vllm:request_success_total":       "requests",
		"vllm:num_preemptions_total":       "count",
		"vllm:kv_cache_usage_perc":         "percent",
		"DCGM_FI_DEV_FB_USED":              "mebibytes",
		"vllm:num_requests_running":        "",
	} {
		if got := Unit(name); got != want {
			t.Errorf("Unit(%q) = %q, want %q", name, got, want)
		}
	}
}

// A labelled series created during the run (client libraries create one on
// first use) counts from zero; one present at the baseline does not.
func TestSeriesAppearingMidRun(t *testing.T) {
	other := "# TYPE up gauge\nup 1\n"
	res := window(t, other, other+counterText("3")+histText("1", "2", "2", "0.05"), other+counterText("5")+histText("2", "4", "5", "0.2"))
	if _, total, _ := res.CounterTotal(Preempted); total != 5 {
		t.Errorf("counter created mid-run: total %v, want 5", total)
	}
	_, h, _ := res.Histogram(TTFT)
	if h.Count != 5 || math.Abs(h.Sum-0.2) > 1e-12 || h.Buckets[0].Count != 2 || h.Buckets[1].Count != 4 || h.Buckets[2].Count != 5 {
		t.Errorf("histogram created mid-run: %+v, want count 5 sum 0.2 buckets 2,4,5", h)
	}
}

// Two label sets never share a key, whatever their values hold.
func TestCanonicalKeepsLabelSetsApart(t *testing.T) {
	for _, pair := range [][2]map[string]string{
		{{"a": "x,b=y"}, {"a": "x", "b": "y"}},
		{{"a": `x\`, "b": "y"}, {"a": `x\,b=y`}},
	} {
		if canonical(pair[0]) == canonical(pair[1]) {
			t.Errorf("%v and %v share the key %q", pair[0], pair[1], canonical(pair[0]))
		}
	}
	if got := canonical(map[string]string{"b": "2", "a": "1"}); got != "a=1,b=2," {
		t.Errorf("plain labels: %q", got)
	}
}
