package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// The seed command's exports, field by field, against what AIPerf's own code
// computes for the same records. The oracle below is written from AIPerf's
// source, independently of package metrics:
//   - per-request values: src/aiperf/metrics/types/ttft_metric.py, ttst_metric.py,
//     request_latency_metric.py, inter_token_latency_metric.py,
//     inter_chunk_latency_metric.py, output_token_throughput_metrics.py;
//   - statistics: src/aiperf/metrics/metric_dicts.py, metric_result_from_array
//     (linear interpolation at q/100·(n−1), np.std with ddof=0, avg = sum/n,
//     count, sum);
//   - JSON per-metric fields and order: src/aiperf/common/models/export_models.py,
//     JsonMetricResult (unit, avg, p1…p99, min, max, std, count, sum);
//   - CSV: src/aiperf/exporters/metrics_csv_exporter.py with STAT_KEYS
//     (avg, min, max, sum, p1…p99, std), rows sorted by tag, "%.2f";
//   - JSONL: metrics in display units per record (MetricRecordDict.to_display_dict).
func TestSeedExportsMatchAIPerfCode(t *testing.T) {
	recs := threeRequests()
	want := aiperfOracle(recs)
	res := metrics.Aggregate(recs, metrics.AggregateOptions{})

	t.Run("json", func(t *testing.T) {
		out := written(t, func(w io.Writer) error { return WriteJSON(w, res, testInfo()) })
		var got map[string]json.RawMessage
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		for tag, w := range want.perRequest {
			raw, ok := got[tag]
			if !ok {
				t.Errorf("%s missing", tag)
				continue
			}
			keys, vals := orderedObject(t, raw)
			wantKeys := []string{"unit", "avg", "p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99", "min", "max", "std", "count", "sum"}
			if strings.Join(keys, ",") != strings.Join(wantKeys, ",") {
				t.Errorf("%s keys %v, want JsonMetricResult's %v", tag, keys, wantKeys)
			}
			for k, v := range w {
				if !closeTo(vals[k], v) {
					t.Errorf("%s.%s = %v, AIPerf's code gives %v", tag, k, vals[k], v)
				}
			}
		}
		for tag, v := range want.aggregate {
			keys, vals := orderedObject(t, got[tag])
			if strings.Join(keys, ",") != "unit,avg" || !closeTo(vals["avg"], v) {
				t.Errorf("%s = %v %v, AIPerf's code gives unit and avg %v", tag, keys, vals, v)
			}
		}
	})

	t.Run("csv", func(t *testing.T) {
		out := written(t, func(w io.Writer) error { return WriteCSV(w, res) })
		sections := strings.Split(out, "\r\n\r\n")
		lines := strings.Split(strings.TrimSpace(sections[0]), "\r\n")
		if lines[0] != "Metric,avg,min,max,sum,p1,p5,p10,p25,p50,p75,p90,p95,p99,std" {
			t.Fatalf("header %q", lines[0])
		}
		cols := strings.Split(lines[0], ",")[1:]
		var tags []string
		for tag := range want.perRequest {
			tags = append(tags, tag)
		}
		sort.Strings(tags) // AIPerf sorts the rows by tag
		if len(lines)-1 != len(tags) {
			t.Fatalf("%d rows, want %d", len(lines)-1, len(tags))
		}
		for i, tag := range tags {
			fields := strings.Split(lines[i+1], ",")
			d, _ := metrics.Lookup(tag)
			if name := d.Header + " (" + d.Unit + ")"; fields[0] != name {
				t.Errorf("row %d is %q, want %q", i, fields[0], name)
			}
			for j, c := range cols {
				if w := fmt.Sprintf("%.2f", want.perRequest[tag][c]); fields[j+1] != w {
					t.Errorf("%s %s = %s, AIPerf's code gives %s", tag, c, fields[j+1], w)
				}
			}
		}
		for tag, v := range want.aggregate {
			d, _ := metrics.Lookup(tag)
			w := fmt.Sprintf("%.2f", v)
			if tag == metrics.RequestCount || tag == metrics.TotalISL || tag == metrics.TotalOSL || tag == metrics.TotalOutputTokens {
				w = fmt.Sprintf("%d", int64(v)) // Python ints print bare
			}
			if !strings.Contains(sections[1], "\r\n"+csvName(metrics.Metric{Def: d})+","+w+"\r\n") {
				t.Errorf("CSV lacks %s = %s:\n%s", tag, w, sections[1])
			}
		}
	})

	t.Run("jsonl", func(t *testing.T) {
		out := written(t, func(w io.Writer) error { return WriteJSONL(w, recs) })
		sc := bufio.NewScanner(strings.NewReader(out))
		sc.Buffer(nil, 1<<20)
		for i := 0; sc.Scan(); i++ {
			var line struct {
				Metrics map[string]struct {
					Value any    `json:"value"`
					Unit  string `json:"unit"`
				} `json:"metrics"`
			}
			if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
				t.Fatal(err)
			}
			for tag, v := range want.records[i] {
				got, ok := line.Metrics[tag].Value.(float64)
				if !ok || !closeTo(got, v) {
					t.Errorf("record %d %s = %v, AIPerf's code gives %v", i, tag, line.Metrics[tag].Value, v)
				}
			}
		}
	})
}

type oracle struct {
	records    []map[string]float64          // per record, display units
	perRequest map[string]map[string]float64 // tag -> stat -> value
	aggregate  map[string]float64
}

// aiperfOracle computes the run's metrics the way AIPerf's code does.
func aiperfOracle(recs []*record.Record) oracle {
	o := oracle{perRequest: map[string]map[string]float64{}, aggregate: map[string]float64{}}
	series := map[string][]float64{}
	minStart, maxEnd := int64(math.MaxInt64), int64(0)
	totalOSL, totalISL := 0.0, 0.0
	for _, r := range recs {
		ms := func(ns int64) float64 { return float64(ns) / 1e6 }
		first := int64(r.Responses[0].Offset)
		second := int64(r.Responses[1].Offset)
		last := int64(r.Responses[len(r.Responses)-1].Offset)
		osl := float64(r.OutputTokens)
		ttft, lat := ms(first), ms(last)
		itl := (lat - ttft) / (osl - 1)
		v := map[string]float64{
			metrics.TTFT: ttft, metrics.TTFO: ttft, metrics.TTST: ms(second - first), metrics.RequestLatency: lat,
			metrics.ITL: itl, metrics.OutputTPSPerUser: 1 / (itl / 1000),
			metrics.ISL: float64(r.InputTokens), metrics.OSL: osl, metrics.OutputTokenCount: osl,
		}
		o.records = append(o.records, v)
		for tag, x := range v {
			series[tag] = append(series[tag], x)
		}
		for i := 1; i < len(r.Responses); i++ {
			series[metrics.ICL] = append(series[metrics.ICL], ms(int64(r.Responses[i].Offset-r.Responses[i-1].Offset)))
		}
		minStart = min(minStart, r.StartNs)
		maxEnd = max(maxEnd, r.StartNs+last)
		totalOSL += osl
		totalISL += float64(r.InputTokens)
	}
	for tag, xs := range series {
		o.perRequest[tag] = resultFromArray(xs)
	}
	dur := float64(maxEnd-minStart) / 1e9
	n := float64(len(recs))
	o.aggregate = map[string]float64{
		metrics.RequestCount: n, metrics.BenchmarkDuration: dur, metrics.RequestThroughput: n / dur,
		metrics.OutputTokenThroughput: totalOSL / dur, metrics.TotalOSL: totalOSL, metrics.TotalISL: totalISL,
		metrics.TotalOutputTokens: totalOSL,
	}
	return o
}

// resultFromArray is metric_result_from_array (metric_dicts.py) with ddof=0.
func resultFromArray(xs []float64) map[string]float64 {
	clean := append([]float64(nil), xs...)
	sort.Float64s(clean)
	n := len(clean)
	sum := 0.0
	for _, x := range clean {
		sum += x
	}
	avg := sum / float64(n)
	sq := 0.0
	for _, x := range clean {
		sq += (x - avg) * (x - avg)
	}
	out := map[string]float64{"min": clean[0], "max": clean[n-1], "avg": avg, "sum": sum,
		"std": math.Sqrt(sq / float64(n)), "count": float64(n)}
	for _, q := range []int{1, 5, 10, 25, 50, 75, 90, 95, 99} {
		idx := float64(q) / 100 * float64(n-1)
		lo := int(idx)
		hi := min(lo+1, n-1)
		out[fmt.Sprintf("p%d", q)] = clean[lo] + (idx-float64(lo))*(clean[hi]-clean[lo])
	}
	return out
}

// orderedObject returns a JSON object's keys in order and its number values.
func orderedObject(t *testing.T, raw json.RawMessage) ([]string, map[string]float64) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	var keys []string
	vals := map[string]float64{}
	for dec.More() {
		tok, err := dec.Token()
		k, isKey := tok.(string)
		if err != nil || !isKey {
			t.Fatalf("%s: key %v, %v", raw, tok, err)
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
		if f, ok := v.(float64); ok {
			vals[k] = f
		}
	}
	return keys, vals
}

func closeTo(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b))
}
