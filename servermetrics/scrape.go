package servermetrics

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// MaxBodyBytes bounds one scrape's body; a bigger one is an error, not a truncation.
const MaxBodyBytes = 16 << 20

// acceptHeader asks for the classic text format, the one expfmt's text parser reads.
const acceptHeader = "text/plain;version=0.0.4;q=1,*/*;q=0.1"

// Snapshot is one successful scrape of one endpoint.
type Snapshot struct {
	At       time.Time     // when the request was sent
	Latency  time.Duration // request sent to body parsed
	Families map[string]*dto.MetricFamily
}

// Scrape fetches url and parses it as Prometheus text, sending userAgent
// when not empty. Bodies above
// MaxBodyBytes, non-2xx answers, JSON answers (TensorRT-LLM's default
// /metrics) and unparsable text are errors; ctx bounds the whole fetch.
func Scrape(ctx context.Context, client *http.Client, url, userAgent string) (Snapshot, error) {
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return Snapshot{}, err
	}
	req.Header.Set("Accept", acceptHeader)
	if userAgent != "" {
		req.Header.Set("User-Agent", userAgent)
	}
	resp, err := client.Do(req)
	if err != nil {
		return Snapshot{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		return Snapshot{}, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "application/json" {
		return Snapshot{}, errors.New("content-type application/json is not Prometheus text")
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBodyBytes+1))
	if err != nil {
		return Snapshot{}, fmt.Errorf("read body: %w", err)
	}
	if len(body) > MaxBodyBytes {
		return Snapshot{}, fmt.Errorf("body larger than %d bytes", MaxBodyBytes)
	}
	fams, err := Parse(body)
	if err != nil {
		return Snapshot{}, err
	}
	return Snapshot{At: start, Latency: time.Since(start), Families: fams}, nil
}

// Parse reads Prometheus text exposition (UTF-8 names allowed, so vLLM's
// "vllm:" names parse). An empty body is an error: a server that exposes
// nothing has nothing to compare.
func Parse(body []byte) (map[string]*dto.MetricFamily, error) {
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	if len(fams) == 0 {
		return nil, errors.New("parse: no metrics")
	}
	return fams, nil
}
