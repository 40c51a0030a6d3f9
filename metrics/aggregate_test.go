package metrics

import (
	"fmt"
	"math"
	"math/rand"
	"reflect"
	"runtime"
	"testing"
	"time"
	"weak"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

const t0 = int64(1_760_000_000_000_000_000) // a fixed wall clock

// streamRec is a valid streaming record: one content response per offset (ms).
func streamRec(id string, startNs int64, isl, osl int, offsetsMs ...float64) *record.Record {
	r := &record.Record{RequestID: id, Phase: record.PhaseProfiling, Streaming: true,
		StartNs: startNs, InputTokens: isl, OutputTokens: osl, ReasoningTokens: -1,
		TokenSource: "words", HTTPStatus: 200}
	for _, ms := range offsetsMs {
		r.Responses = append(r.Responses, record.Response{
			Offset: time.Duration(math.Round(ms * 1e6)), Kind: record.Content})
	}
	r.EndOffset = r.Responses[len(r.Responses)-1].Offset + time.Millisecond
	return r
}

func errRec(id string, startNs int64, isl, code int, typ, msg string) *record.Record {
	return &record.Record{RequestID: id, Phase: record.PhaseProfiling, StartNs: startNs,
		InputTokens: isl, OutputTokens: -1, ReasoningTokens: -1, EndOffset: 5 * time.Millisecond,
		HTTPStatus: code, Error: &record.Error{Code: code, Type: typ, Message: msg}}
}

// threeRequests are a 3-request AIPerf run: TTFT {85.26, 85.99, 135.83} ms.
func threeRequests() []*record.Record {
	return []*record.Record{
		streamRec("a", t0, 550, 3, 85.26, 105.26, 125.26),
		streamRec("b", t0+10_000_000, 550, 3, 85.99, 106.99, 127.99),
		streamRec("c", t0+20_000_000, 550, 3, 135.83, 155.83, 175.83),
	}
}

func TestAggregateThreeRequests(t *testing.T) {
	res := Aggregate(threeRequests(), AggregateOptions{})
	ttft, ok := res.Get(TTFT)
	if !ok {
		t.Fatal("no TTFT")
	}
	if got := round2(ttft.Stats.Std); got != 23.67 {
		t.Errorf("TTFT std %.2f", got)
	}
	if got := round2(ttft.Stats.P99); got != 134.83 {
		t.Errorf("TTFT p99 %.2f", got)
	}
	if got := round2(ttft.Stats.P90); got != 125.86 {
		t.Errorf("TTFT p90 %.2f", got)
	}
	// ITL = (latency − TTFT)/(OSL − 1): 20, 21, 20 ms.
	itl, _ := res.Get(ITL)
	if math.Abs(itl.Stats.Avg-61.0/3) > 1e-9 || itl.Stats.Min != 20 || itl.Stats.Max != 21 {
		t.Errorf("ITL %+v", itl.Stats)
	}
	icl, _ := res.Get(ICL)
	if icl.Stats.Count != 6 {
		t.Errorf("ICL pooled count %d, want 6", icl.Stats.Count)
	}
	want := map[string]float64{
		RequestCount:          3,
		TotalISL:              1650,
		TotalOSL:              9,
		TotalOutputTokens:     9,
		MinRequestTimestamp:   float64(t0),
		MaxResponseTimestamp:  float64(t0 + 20_000_000 + 175_830_000),
		BenchmarkDuration:     0.19583,
		RequestThroughput:     3 / 0.19583,
		OutputTokenThroughput: 9 / 0.19583,
	}
	for tag, w := range want {
		m, ok := res.Get(tag)
		if !ok {
			t.Errorf("%s missing", tag)
			continue
		}
		if math.Abs(m.Value-w) > 1e-9*math.Max(1, math.Abs(w)) {
			t.Errorf("%s = %v, want %v", tag, m.Value, w)
		}
	}
	for _, tag := range []string{ErrorRequestCount, TotalErrorISL, ErrorISL, Goodput, GoodRequestCount, TotalReasoningTokens} {
		if _, ok := res.Get(tag); ok {
			t.Errorf("%s present, want absent", tag)
		}
	}
	if res.Valid != 3 || res.Invalid != 0 || len(res.Errors) != 0 || res.TokenSource != "words" {
		t.Errorf("valid %d invalid %d errors %v source %q", res.Valid, res.Invalid, res.Errors, res.TokenSource)
	}
	if !res.Metrics[RequestCount].Integer || res.Metrics[BenchmarkDuration].Integer {
		t.Error("Integer flags wrong")
	}
}

func TestAggregateDropsWarmupAndLate(t *testing.T) {
	recs := threeRequests()
	warm := streamRec("w", t0-1_000_000_000, 550, 3, 1, 2, 3)
	warm.Phase = record.PhaseWarmup
	late := streamRec("l", t0+30_000_000, 550, 3, 5000, 5001, 5002)
	late.LateForDuration = true
	lateErr := errRec("le", t0, 10, 500, "Internal Server Error", "boom")
	lateErr.LateForDuration = true
	got := Aggregate(append(recs, warm, late, lateErr), AggregateOptions{})
	want := Aggregate(threeRequests(), AggregateOptions{})
	if !reflect.DeepEqual(got, want) {
		t.Errorf("warmup/late records changed the result:\n got %+v\nwant %+v", got, want)
	}
}

func TestAggregateErrors(t *testing.T) {
	recs := threeRequests()
	recs = append(recs,
		errRec("e1", t0-5_000_000_000, 100, 500, "Internal Server Error", "boom"),
		errRec("e2", t0+1, 200, 500, "Internal Server Error", "boom"),
		errRec("e3", t0-6_000_000_000, 300, 400, "Bad Request", "bad wav"), // the first error to end
		errRec("e4", t0+3, 400, 0, "", "connection refused"),
	)
	// 200 with no content: counted as an error request, but in no error summary.
	empty := &record.Record{RequestID: "q", Phase: record.PhaseProfiling, StartNs: t0 + 4,
		InputTokens: 50, OutputTokens: 0, HTTPStatus: 200, EndOffset: time.Millisecond}
	recs = append(recs, empty)

	res := Aggregate(recs, AggregateOptions{})
	if res.Valid != 3 || res.Invalid != 5 {
		t.Fatalf("valid %d invalid %d", res.Valid, res.Invalid)
	}
	if m := res.Metrics[ErrorRequestCount]; m.Value != 5 {
		t.Errorf("error_request_count %v", m.Value)
	}
	if m := res.Metrics[TotalErrorISL]; m.Value != 1050 {
		t.Errorf("total_error_isl %v", m.Value)
	}
	if m := res.Metrics[ErrorISL]; m.Stats.Count != 5 || m.Stats.Max != 400 {
		t.Errorf("error_isl %+v", m.Stats)
	}
	// AIPerf's order: as first seen (records_manager.py keeps a dict of
	// error -> count in arrival order), here the order records ended.
	want := []ErrorCount{
		{record.Error{Code: 400, Type: "Bad Request", Message: "bad wav"}, 1},
		{record.Error{Code: 500, Type: "Internal Server Error", Message: "boom"}, 2},
		{record.Error{Message: "connection refused"}, 1},
	}
	if !reflect.DeepEqual(res.Errors, want) {
		t.Errorf("errors %+v\nwant %+v", res.Errors, want)
	}
	// Errors stay out of the benchmark window, even one sent 5 s earlier.
	if res.StartNs != t0 {
		t.Errorf("window start %d, want %d", res.StartNs, t0)
	}
	if res.FirstStartNs != t0-6_000_000_000 {
		t.Errorf("first start %d", res.FirstStartNs)
	}
}

func TestAggregateGoodput(t *testing.T) {
	recs := threeRequests()
	nonStream := streamRec("n", t0+5, 550, 5, 90)
	nonStream.Streaming = false // no TTFT: fails a TTFT SLO
	recs = append(recs, nonStream)
	tests := []struct {
		slo  string
		good float64
	}{
		{"time_to_first_token:100", 2},
		{"time_to_first_token:85.26", 1},           // <= is inclusive
		{"request_latency:130", 3},                 // non-streaming record has latency 90
		{"output_token_throughput_per_user:50", 2}, // >=: 1000/20 = 50 passes, 1000/21 fails
		{"time_to_first_token:200 request_latency:126", 1},
		// ISL, OSL and output_token_count are larger-is-better in AIPerf: a floor.
		{"output_sequence_length:4", 1},
		{"output_sequence_length:3", 4}, // >= is inclusive
		{"output_token_count:5", 1},
		{"input_sequence_length:551", 0},
		{"input_sequence_length:550", 4},
	}
	for _, tc := range tests {
		t.Run(tc.slo, func(t *testing.T) {
			slos, err := ParseGoodput(tc.slo)
			if err != nil {
				t.Fatal(err)
			}
			res := Aggregate(recs, AggregateOptions{Goodput: slos})
			if g := res.Metrics[GoodRequestCount].Value; g != tc.good {
				t.Errorf("good requests %v, want %v", g, tc.good)
			}
			dur := res.Metrics[BenchmarkDuration].Value
			if g := res.Metrics[Goodput].Value; math.Abs(g-tc.good/dur) > 1e-9 {
				t.Errorf("goodput %v, want %v", g, tc.good/dur)
			}
		})
	}
}

func TestParseGoodputErrors(t *testing.T) {
	for _, s := range []string{"", "ttft", "nope:1", "request_count:3", "inter_chunk_latency:2", "time_to_first_token:x",
		"time_to_first_token:NaN", "request_latency:+Inf", "request_latency:-inf"} {
		if _, err := ParseGoodput(s); err == nil {
			t.Errorf("%q: no error", s)
		}
	}
}

// Merging shards is aggregating the union: record order must not matter.
func TestAggregateOrderIndependent(t *testing.T) {
	var recs []*record.Record
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 300; i++ {
		start := t0 + int64(rng.Intn(1e9))
		first := 50 + rng.Float64()*100
		recs = append(recs, streamRec(string(rune('A'+i%26))+string(rune('a'+i/26)), start, 500+i,
			4, first, first+rng.Float64()*30, first+40, first+41+rng.Float64()))
	}
	recs = append(recs, errRec("x", t0, 9, 500, "Internal Server Error", "boom"))
	want := Aggregate(recs, AggregateOptions{})
	shuffled := append([]*record.Record(nil), recs...)
	rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	if got := Aggregate(shuffled, AggregateOptions{}); !reflect.DeepEqual(got, want) {
		t.Error("shuffled records aggregate differently")
	}
}

func TestAggregateTimestampsExact(t *testing.T) {
	recs := threeRequests()
	recs[0].StartNs = t0 + 123 // not representable in a float64
	res := Aggregate(recs, AggregateOptions{})
	if m := res.Metrics[MaxResponseTimestamp]; m.Int != t0+20_000_000+175_830_000 || !m.Integer {
		t.Errorf("max timestamp %d", m.Int)
	}
	if m := res.Metrics[MinRequestTimestamp]; m.Int != t0+123 {
		t.Errorf("min timestamp %d, want %d", m.Int, t0+123)
	}
}

// The accumulator keeps values, not records: a record added can be collected.
func TestAccumulatorKeepsNoRecord(t *testing.T) {
	a, err := NewAccumulator(AggregateOptions{ScratchDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	r := streamRec("a", t0, 550, 4, 85, 95, 105, 115)
	gone := weak.Make(r)
	a.Add(r)
	r = nil
	runtime.GC()
	if gone.Value() != nil {
		t.Error("the accumulator holds on to the record")
	}
	res, err := a.Result()
	if err != nil || res.Valid != 1 || a.Count() != 1 || res.Metrics[ICL].Stats.Count != 3 {
		t.Errorf("valid %d, count %d, %d inter-chunk latencies, %v", res.Valid, a.Count(), res.Metrics[ICL].Stats.Count, err)
	}
}

func TestCheckGoodput(t *testing.T) {
	cases := []struct {
		slo       string
		streaming bool
		endpoint  string
		refused   string // the tags named in the refusal, "" = accepted
	}{
		{"request_latency:100", false, "chat", ""},
		{"inter_token_latency:10 time_to_first_token:100", true, "chat", ""},
		{"inter_token_latency:10 time_to_first_token:100 request_latency:1", false, "chat", "inter_token_latency, time_to_first_token"},
		{"output_sequence_length:3", false, "audio_transcription", "output_sequence_length"},
		{"request_latency:100", false, "audio_transcription", ""},
	}
	for _, c := range cases {
		slos, err := ParseGoodput(c.slo)
		if err != nil {
			t.Fatal(err)
		}
		err = CheckGoodput(slos, c.streaming, c.endpoint)
		want := ""
		if c.refused != "" {
			want = "metric(s) " + c.refused + " are not applicable to the current endpoint/configuration"
		}
		if got := fmt.Sprint(err); (err == nil) != (want == "") || (err != nil && got != want) {
			t.Errorf("%q streaming=%v %s: %v, want %q", c.slo, c.streaming, c.endpoint, err, want)
		}
	}
}

// AIPerf leaves output_token_count out when it is 0 (a reasoning-only answer):
// neither the metric nor its total sees a 0; OSL still counts the reasoning.
func TestZeroOutputTokens(t *testing.T) {
	reasoningOnly := streamRec("r", t0, 10, 0, 50, 60, 70)
	reasoningOnly.ReasoningTokens = 4
	m := ForRecord(reasoningOnly)
	if v, ok := m.Get(OutputTokenCount); ok {
		t.Errorf("output_token_count = %v, want absent", v)
	}
	if v, ok := m.Get(OSL); !ok || v != 4 {
		t.Errorf("OSL = %v (%v), want 4", v, ok)
	}
	res := Aggregate([]*record.Record{reasoningOnly, streamRec("a", t0+1, 10, 6, 50, 60)}, AggregateOptions{})
	if got := res.Metrics[OutputTokenCount].Stats; got.Avg != 6 || got.Min != 6 {
		t.Errorf("output_token_count avg %v min %v: a 0 was averaged in", got.Avg, got.Min)
	}
}

// audio_transcription produces no tokens in AIPerf: no ISL, OSL, token counts,
// ITL or token throughput; its timings, RTFx and request counts stay.
func TestTranscriptionHasNoTokenMetrics(t *testing.T) {
	ok := streamRec("t", t0, 4, 3, 100, 150, 200)
	ok.EndpointType, ok.AudioSeconds, ok.ReasoningTokens = record.EndpointTranscription, 2, 1
	bad := errRec("e", t0+1, 4, 500, "Internal Server Error", "boom")
	bad.EndpointType = record.EndpointTranscription
	res := Aggregate([]*record.Record{ok, bad}, AggregateOptions{})
	for tag := range res.Metrics {
		if d, _ := Lookup(tag); d.Has(ProducesTokens) {
			t.Errorf("%s exported for a transcription run", tag)
		}
	}
	for _, tag := range []string{RequestLatency, TTFT, RTFX, AudioDuration, RequestCount, RequestThroughput, ErrorRequestCount} {
		if _, found := res.Get(tag); !found {
			t.Errorf("%s missing", tag)
		}
	}
}

// Records from a hand-edited or merged JSONL may have responses before the
// start or out of order, or a start of 0: the metric those timestamps make
// invalid is left out for that record (AIPerf's metric classes raise on
// them), never a negative latency, and a start of 0 stays out of the window.
func TestMalformedRecords(t *testing.T) {
	before := streamRec("before", t0, 10, 3, -5, 10, 8) // first before start, third before second
	backwards := streamRec("backwards", t0+1, 10, 3, 50, 40, 30)
	zero := streamRec("zero", 0, 10, 3, 20, 30, 40)
	good := streamRec("good", t0+2, 10, 3, 20, 30, 40)
	cases := []struct {
		r      *record.Record
		absent []string
		icl    bool
	}{
		{before, []string{TTFT, TTFO, ITL, OutputTPSPerUser}, false},
		{backwards, []string{TTST, ITL, OutputTPSPerUser}, false},
		{zero, nil, true},
	}
	for _, c := range cases {
		m := ForRecord(c.r)
		for _, tag := range c.absent {
			if v, ok := m.Get(tag); ok {
				t.Errorf("%s: %s = %v, want absent", c.r.RequestID, tag, v)
			}
		}
		for tag, v := range m.Values {
			if v < 0 {
				t.Errorf("%s: %s = %v < 0", c.r.RequestID, tag, v)
			}
		}
		if (m.ICL != nil) != c.icl {
			t.Errorf("%s: ICL %v", c.r.RequestID, m.ICL)
		}
	}
	if v, _ := ForRecord(before).Get(RequestLatency); v != 8 {
		t.Errorf("request latency %v, want 8 (its last response is after the start)", v)
	}
	res := Aggregate([]*record.Record{before, backwards, zero, good}, AggregateOptions{})
	if res.StartNs != t0 || res.EndNs != t0+2+40_000_000 {
		t.Errorf("window %d..%d, want %d..%d: a start of 0 must stay out", res.StartNs, res.EndNs, t0, t0+2+40_000_000)
	}
	if res.Metrics[RequestCount].Value != 4 {
		t.Errorf("request count %v, want 4", res.Metrics[RequestCount].Value)
	}
	for tag, m := range res.Metrics {
		if !m.Has(AggregateMetric) && m.Stats.Min < 0 {
			t.Errorf("%s min %v < 0", tag, m.Stats.Min)
		}
	}
}
