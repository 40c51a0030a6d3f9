package otel

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/redact"
	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
	"github.com/aiperf-exporter/aiperf-exporter/upload/internal/rest"
)

// FlushInterval is how often the stream is pushed while the run goes on
// (AIPerf's AIPERF_OTEL_FLUSH_INTERVAL_SECONDS default).
const FlushInterval = 2 * time.Second

// requestTimeout bounds one push (AIPerf's AIPERF_OTEL_REQUEST_TIMEOUT_SECONDS default).
const requestTimeout = 10 * time.Second

// RunInfo is what every point says about the run.
type RunInfo struct {
	EndpointType     string
	Model            string   // the first --model
	URLs             []string // the servers' full URLs, for gen_ai.provider.name
	ExpectedRequests int      // the request count, 0 when the run is timed
	ExpectedDuration float64  // --benchmark-duration in seconds, 0 when counted
}

// Stream accumulates a run's metrics as cumulative OTLP points and pushes
// them. Add and Sent may be called while Push runs.
type Stream struct {
	cfg      Config
	client   *http.Client
	resource []keyValue
	genAI    []keyValue // gen_ai.operation.name, .provider.name, .request.model
	timing   []keyValue
	start    time.Time

	sent atomic.Int64 // requests sent (Sent), read by Push

	mu                           sync.Mutex
	hists                        map[seriesKey]*histogram
	firstSend                    time.Time
	completed, errors, cancelled int64
	runCancelled                 bool
	pushes, failures             int
	lastErr                      error
}

// New starts a stream for one run; nothing is sent before Push.
func New(cfg Config, run RunInfo) *Stream {
	// A transport of its own: Close drops its idle connections and no one else's.
	client := &http.Client{Timeout: requestTimeout, Transport: http.DefaultTransport.(*http.Transport).Clone()}
	s := &Stream{cfg: cfg, client: client, start: time.Now(), hists: map[seriesKey]*histogram{}}
	res := map[string]string{
		"service.name":         "aiperf",
		"service.instance.id":  "records-manager",
		"aiperf.endpoint.type": run.EndpointType,
	}
	if run.Model != "" {
		res["aiperf.model.name"] = run.Model
	}
	for k, v := range cfg.Resource {
		res[k] = v
	}
	for _, k := range slices.Sorted(maps.Keys(res)) {
		s.resource = append(s.resource, str(k, res[k]))
	}
	s.genAI = []keyValue{str("gen_ai.operation.name", Operation(run.EndpointType)), str("gen_ai.provider.name", Provider(cfg.Provider, run.URLs))}
	if run.Model != "" {
		s.genAI = append(s.genAI, str("gen_ai.request.model", run.Model))
	}
	s.timing = []keyValue{str("aiperf.benchmark_phase", string(record.PhaseProfiling))}
	if run.ExpectedRequests > 0 {
		s.timing = append(s.timing, integer("aiperf.total_expected_requests", int64(run.ExpectedRequests)))
	}
	if run.ExpectedDuration > 0 {
		s.timing = append(s.timing, double("aiperf.expected_duration_sec", run.ExpectedDuration))
	}
	s.timing = append(s.timing, s.genAI...)
	return s
}

// Sent counts a profiling request about to be sent (the probe's OnStart):
// one atomic add, nothing else on the request path.
func (s *Stream) Sent(r *record.Record) {
	if r.Phase != record.PhaseWarmup {
		s.sent.Add(1)
	}
}

// Add folds one finished record into the stream; warmup records and those
// dropped from the run are left out, as from every export.
func (s *Stream) Add(r *record.Record) { s.AddMetrics(r, metrics.ForRecord(r)) }

// AddMetrics is Add with r's metrics already derived (metrics.ForRecord):
// derived before the lock, which a push holds.
func (s *Stream) AddMetrics(r *record.Record, m metrics.Request) {
	if !r.Counted() {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.firstSend.IsZero() || time.Unix(0, r.StartNs).Before(s.firstSend) {
		s.firstSend = time.Unix(0, r.StartNs)
	}
	s.completed++
	if !r.Valid() {
		s.errors++
	}
	if cancelled(r) {
		s.cancelled++
	}
	if !s.cfg.Metrics {
		return
	}
	for tag, v := range m.Values {
		h, scale := s.histogram(tag, r)
		h.observe(v * scale)
	}
	if len(m.ICL) > 0 {
		h, scale := s.histogram(metrics.ICL, r)
		for _, v := range m.ICL {
			h.observe(v * scale)
		}
	}
}

// seriesKey names one histogram series: the metric, and for the aiperf.*
// ones the record's phase, cancellation and failure (their attributes).
type seriesKey struct {
	name              string
	phase             record.Phase
	cancelled, failed bool
}

// histogram is the series a value of the metric tag (in display units) of
// r goes to, created on first use, and the factor to its unit.
func (s *Stream) histogram(tag string, r *record.Record) (*histogram, float64) {
	name, unit, bounds, scale := instrument(tag)
	key := seriesKey{name: name}
	generic := name == "aiperf."+tag
	if generic {
		key.phase, key.cancelled, key.failed = r.Phase, cancelled(r), !r.Valid()
	}
	if h := s.hists[key]; h != nil {
		return h, scale
	}
	var attrs []keyValue
	switch {
	case tag == metrics.OutputTokenCount:
		attrs = append(append(attrs, s.genAI...), str("gen_ai.token.type", "output"))
	case !generic:
		attrs = s.genAI
	default:
		attrs = []keyValue{str("aiperf.benchmark_phase", string(key.phase)), boolean("aiperf.was_cancelled", key.cancelled),
			boolean("aiperf.has_error", key.failed)}
	}
	h := &histogram{name: name, unit: unit, attrs: attrs, bounds: bounds, counts: make([]uint64, len(bounds)+1)}
	s.hists[key] = h
	return h, scale
}

// cancelled: the request was cut short by the run's end or Ctrl-C.
func cancelled(r *record.Record) bool {
	return !r.Valid() && metrics.ReasonOf(r) == record.ReasonCancelled
}

// Finish marks whether the run was cancelled (aiperf.timing.phase.was_cancelled).
func (s *Stream) Finish(cancelled bool) {
	s.mu.Lock()
	s.runCancelled = cancelled
	s.mu.Unlock()
}

// Run pushes every FlushInterval until ctx ends; failures are counted for
// Failures, never returned.
func (s *Stream) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.Push(ctx)
		}
	}
}

// Push sends the points accumulated so far (cumulative, so a lost push
// loses nothing) and returns the error, also kept for Failures.
func (s *Stream) Push(ctx context.Context) error {
	body, err := s.encode(time.Now())
	if err == nil {
		err = s.post(ctx, body)
	}
	s.mu.Lock()
	s.pushes++
	if err != nil {
		s.failures++
		s.lastErr = err
	}
	s.mu.Unlock()
	return err
}

// Close drops the connections kept for the next push.
func (s *Stream) Close() { s.client.CloseIdleConnections() }

// Failures is the warning for the pushes that failed, "" when none did.
func (s *Stream) Failures() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failures == 0 {
		return ""
	}
	return fmt.Sprintf("OpenTelemetry export to %s: %d of %d pushes failed, the last: %v", redact.URL(s.cfg.URL), s.failures, s.pushes, s.lastErr)
}

func (s *Stream) post(ctx context.Context, body []byte) error {
	req, err := rest.NewJSON(ctx, s.cfg.URL, json.RawMessage(body))
	if err != nil {
		return err
	}
	status, reply, err := rest.Do(s.client, req, "push")
	if err != nil {
		return err
	}
	if status/100 != 2 {
		return fmt.Errorf("HTTP %d: %s", status, rest.Excerpt(reply))
	}
	return nil
}
