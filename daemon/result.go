package daemon

import (
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// maxErrorLen bounds the error text kept for the page and the log.
const maxErrorLen = 200

// Result is what the landing page shows of one probe. It never holds the request
// body, the audio or any header.
type Result struct {
	Time         time.Time // when the request finished
	Scenario     string
	Model        string
	Target       string
	RequestID    string
	Phase        record.Phase
	Counted      bool // record.Counted: shown either way, in the totals only when true
	Success      bool
	Reason       record.Reason // empty on success
	HTTPStatus   int
	TTFT         time.Duration // 0 when not streamed or failed
	Latency      time.Duration // 0 when failed
	InputTokens  int
	OutputTokens int // output_token_count: reasoning tokens excluded; -1 when unknown
	AudioSeconds float64
	Error        string
}

// ResultFrom summarises r, with its figures from metrics.ForRecord.
func ResultFrom(r *record.Record) Result {
	m := metrics.ForRecord(r)
	res := Result{
		Time:         time.Unix(0, r.StartNs+int64(r.EndOffset)),
		Scenario:     r.Scenario,
		Model:        r.Model,
		Target:       r.Target,
		RequestID:    r.RequestID,
		Phase:        r.Phase,
		Counted:      r.Counted(),
		Success:      r.Valid(),
		HTTPStatus:   r.HTTPStatus,
		InputTokens:  r.InputTokens,
		OutputTokens: -1,
		AudioSeconds: r.AudioSeconds,
	}
	fromMs := func(tag string) time.Duration {
		v, _ := m.Get(tag)
		return time.Duration(v * float64(time.Millisecond))
	}
	res.TTFT = fromMs(metrics.TTFT)
	res.Latency = fromMs(metrics.RequestLatency)
	if v, ok := m.Get(metrics.OutputTokenCount); ok {
		res.OutputTokens = int(v)
	}
	if !res.Success {
		res.Reason = metrics.ReasonOf(r)
		if r.Error != nil {
			res.Error = truncate(r.Error.Message, maxErrorLen)
		}
	}
	return res
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
