package metrics

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// Metric is the run result of one metric. Per-request metrics carry Stats;
// aggregate metrics (Def.Has(AggregateMetric)) carry a single Value.
type Metric struct {
	Def
	Stats Summary
	Value float64
	// Integer marks an aggregate that is a whole count or timestamp (a Python
	// int in AIPerf): Int holds it exactly and the CSV prints it bare.
	Integer bool
	Int     int64
}

// ErrorCount is one row of the error summary: identical errors and how many.
type ErrorCount struct {
	Error record.Error
	Count int
}

// Result is everything the reports show about a run. It is computed from
// records only (no hidden per-run state), so the union of several shard runs
// aggregates exactly like one run.
type Result struct {
	// Metrics by tag; a metric without any value is absent.
	Metrics map[string]Metric
	// Errors is the error summary in the order errors were first seen.
	// A record with no Error but no content response counts in
	// error_request_count yet appears here nowhere (AIPerf quirk, spec §1).
	Errors []ErrorCount
	// Valid and Invalid count the aggregated (profiling, in-window) records.
	Valid, Invalid int
	// StartNs and EndNs are the benchmark window over valid records: the
	// earliest request start and the latest last response (wall-clock ns).
	StartNs, EndNs int64
	// FirstStartNs and LastEndNs span every aggregated record, errors included.
	FirstStartNs, LastEndNs int64
	// TokenSource says which counter produced the token counts
	// ("tokenizer", "server", "words"; several joined by "+").
	TokenSource  string
	WasCancelled bool
}

// Get returns the result of tag.
func (r *Result) Get(tag string) (Metric, bool) {
	m, ok := r.Metrics[tag]
	return m, ok
}

// AggregateOptions are the run settings that change the aggregation.
type AggregateOptions struct {
	// Goodput maps a per-request metric tag to its SLO in display units
	// (--goodput "tag:value ..."). Empty: no goodput metrics.
	Goodput map[string]float64
	// Cancelled marks a run stopped early; it is echoed in the result.
	Cancelled bool
}

// Aggregate computes the run result from records. Warmup records and records
// that ended after the duration's grace period are dropped first.
func Aggregate(records []*record.Record, opt AggregateOptions) *Result {
	recs := profiling(records)
	res := &Result{Metrics: map[string]Metric{}, WasCancelled: opt.Cancelled}

	values := map[string][]float64{}
	var icl []float64
	errs := map[record.Error]int{}
	var errOrder []record.Error // as first seen, like AIPerf's records manager
	sources := map[string]bool{}
	var totalISL, totalErrISL, totalOSL, totalOut, totalReason float64
	var haveISL, haveErrISL, haveOSL, haveOut, haveReason bool
	good := 0

	for _, r := range recs {
		m := ForRecord(r)
		for tag, v := range m.Values {
			values[tag] = append(values[tag], v)
		}
		icl = append(icl, m.ICL...)
		if r.TokenSource != "" {
			sources[r.TokenSource] = true
		}
		end := r.StartNs + int64(r.EndOffset)
		if r.Valid() {
			end = r.StartNs + int64(r.Responses[len(r.Responses)-1].Offset)
		}
		// A start of 0 (or less) is no time at all: such a record counts but
		// stays out of the window, as do records without a request latency.
		inWindow := r.StartNs > 0
		if inWindow && (res.FirstStartNs == 0 || r.StartNs < res.FirstStartNs) {
			res.FirstStartNs = r.StartNs
		}
		if inWindow && end > res.LastEndNs {
			res.LastEndNs = end
		}
		if !r.Valid() {
			res.Invalid++
			if v, ok := m.Get(ErrorISL); ok {
				totalErrISL += v
				haveErrISL = true
			}
			if r.Error != nil {
				if errs[*r.Error] == 0 {
					errOrder = append(errOrder, *r.Error)
				}
				errs[*r.Error]++
			}
			continue
		}
		res.Valid++
		if _, ok := m.Get(RequestLatency); ok && inWindow {
			if res.StartNs == 0 || r.StartNs < res.StartNs {
				res.StartNs = r.StartNs
			}
			if end > res.EndNs {
				res.EndNs = end
			}
		}
		if v, ok := m.Get(ISL); ok {
			totalISL += v
			haveISL = true
		}
		if v, ok := m.Get(OSL); ok {
			totalOSL += v
			haveOSL = true
		}
		if v, ok := m.Get(OutputTokenCount); ok {
			totalOut += v
			haveOut = true
		}
		if v, ok := m.Get(ReasoningTokenCount); ok {
			totalReason += v
			haveReason = true
		}
		if len(opt.Goodput) > 0 && meetsSLOs(m, opt.Goodput) {
			good++
		}
	}
	if len(icl) > 0 {
		values[ICL] = icl
	}
	for tag, vs := range values {
		d, _ := Lookup(tag)
		res.Metrics[tag] = Metric{Def: d, Stats: Summarize(vs)}
	}

	set := func(tag string, v float64, integer bool) {
		d, _ := Lookup(tag)
		res.Metrics[tag] = Metric{Def: d, Value: v, Integer: integer, Int: int64(v)}
	}
	setInt := func(tag string, v int64) {
		d, _ := Lookup(tag)
		res.Metrics[tag] = Metric{Def: d, Value: float64(v), Integer: true, Int: v}
	}
	if res.Invalid > 0 {
		set(ErrorRequestCount, float64(res.Invalid), true)
		if haveErrISL {
			set(TotalErrorISL, totalErrISL, true)
		}
	}
	if res.Valid > 0 {
		set(RequestCount, float64(res.Valid), true)
		if haveISL {
			set(TotalISL, totalISL, true)
		}
		if haveOSL {
			set(TotalOSL, totalOSL, true)
		}
		if haveOut {
			set(TotalOutputTokens, totalOut, true)
		}
		if haveReason {
			set(TotalReasoningTokens, totalReason, true)
		}
		setInt(MinRequestTimestamp, res.StartNs)
		setInt(MaxResponseTimestamp, res.EndNs)
		dur := float64(res.EndNs-res.StartNs) / 1e9
		set(BenchmarkDuration, dur, false)
		if dur > 0 {
			if haveOSL {
				set(OutputTokenThroughput, totalOSL/dur, false)
			}
			set(RequestThroughput, float64(res.Valid)/dur, false)
		}
		if len(opt.Goodput) > 0 {
			set(GoodRequestCount, float64(good), true)
			if dur > 0 {
				set(Goodput, float64(good)/dur, false)
			}
		}
	}
	res.Errors = errorSummary(errs, errOrder)
	res.TokenSource = joinSorted(sources)
	return res
}

// profiling keeps the records that count, in a deterministic order (by end
// time, then request ID) so that merged shards sum exactly like one run.
func profiling(records []*record.Record) []*record.Record {
	out := make([]*record.Record, 0, len(records))
	for _, r := range records {
		if r == nil || r.Phase == record.PhaseWarmup || r.LateForDuration {
			continue
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		ei := out[i].StartNs + int64(out[i].EndOffset)
		ej := out[j].StartNs + int64(out[j].EndOffset)
		if ei != ej {
			return ei < ej
		}
		if out[i].StartNs != out[j].StartNs {
			return out[i].StartNs < out[j].StartNs
		}
		return out[i].RequestID < out[j].RequestID
	})
	return out
}

// CheckGoodput refuses SLOs on metrics that do not exist in a run with these
// settings, before the run, with AIPerf's message less its "Invalid --goodput: "
// prefix, which the caller's flag error adds (base_metrics_processor.py,
// _configure_goodput); such an SLO could only ever make goodput 0.
func CheckGoodput(slos map[string]float64, streaming bool, endpointType string) error {
	var missing []string
	for tag := range slos {
		if d, ok := Lookup(tag); ok && !Applies(d, streaming, endpointType) {
			missing = append(missing, tag)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	sort.Strings(missing)
	return fmt.Errorf("metric(s) %s are not applicable to the current endpoint/configuration", strings.Join(missing, ", "))
}

// meetsSLOs reports whether a request meets every SLO. A missing metric fails.
func meetsSLOs(m Request, slos map[string]float64) bool {
	for tag, limit := range slos {
		v, ok := m.Get(tag)
		if !ok {
			return false
		}
		d, _ := Lookup(tag)
		if d.Has(LargerIsBetter) {
			if v < limit {
				return false
			}
		} else if v > limit {
			return false
		}
	}
	return true
}

// errorSummary lists each distinct error with its count in the order first
// seen (records are in end-time order), as AIPerf's records manager does
// (aiperf/records/records_manager.py: a dict in arrival order).
func errorSummary(errs map[record.Error]int, order []record.Error) []ErrorCount {
	out := make([]ErrorCount, 0, len(order))
	for _, e := range order {
		out = append(out, ErrorCount{Error: e, Count: errs[e]})
	}
	return out
}

func joinSorted(set map[string]bool) string {
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, "+")
}

// ParseGoodput parses AIPerf's --goodput value, "tag:value tag:value ...",
// into SLOs. Tags must name per-request metrics with one value per request.
func ParseGoodput(s string) (map[string]float64, error) {
	slos := map[string]float64{}
	for _, f := range strings.Fields(s) {
		tag, val, ok := strings.Cut(f, ":")
		if !ok {
			return nil, fmt.Errorf("goodput %q: want tag:value", f)
		}
		d, known := Lookup(tag)
		if !known {
			return nil, fmt.Errorf("goodput %q: unknown metric %q", f, tag)
		}
		if d.Has(AggregateMetric) || d.Has(List) || d.Has(ErrorOnly) {
			return nil, fmt.Errorf("goodput %q: %s is not a per-request metric", f, tag)
		}
		v, err := strconv.ParseFloat(val, 64)
		if err != nil {
			return nil, fmt.Errorf("goodput %q: bad value: %w", f, err)
		}
		slos[tag] = v
	}
	if len(slos) == 0 {
		return nil, fmt.Errorf("goodput %q: no SLO given", s)
	}
	return slos, nil
}
