package profile

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/aiperf-exporter/aiperf-exporter/internal/redact"
	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
)

// NetworkLatencyFile is AIPerf's per-probe export of --network-latency-automatic.
const NetworkLatencyFile = "profile_export_network_latency.jsonl"

// netLatency is AIPerf's network-latency calibration: a fixed RTT
// (--network-latency-mean, ms) or one measured by TCP handshakes to each
// target every --network-latency-ping-interval seconds through the profiling
// phase (--network-latency-automatic); its mean is taken off the latencies
// that start at the client's send (metrics.NetworkAdjust). nil: neither.
type netLatency struct {
	fixedMs  float64       // --network-latency-mean; 0: measure
	interval time.Duration // between probe rounds
	targets  []netTarget

	mu    sync.Mutex
	rtts  []float64 // ms, successful probes
	fails int
	out   *bufio.Writer
	file  *os.File
	stop  func()
	done  chan struct{}
}

// netTarget is one host:port probed, and the endpoint URL it came from.
type netTarget struct{ url, host, port string }

// planNetLatency checks the --network-latency-* flags; its errors are
// *options.Error (exit 2). The two ways are exclusive, as in AIPerf.
func planNetLatency(p *options.Profile) (*netLatency, error) {
	bad := func(flag, format string, a ...any) error {
		return &options.Error{Flag: flag, Msg: fmt.Sprintf(format, a...)}
	}
	switch {
	case p.NetworkLatencyMean < 0 || math.IsNaN(p.NetworkLatencyMean) || math.IsInf(p.NetworkLatencyMean, 0):
		return nil, bad("network-latency-mean", "must be finite milliseconds >= 0, got %g", p.NetworkLatencyMean)
	case p.NetworkLatencyAutomatic && p.NetworkLatencyMean > 0:
		return nil, bad("network-latency-mean", "a fixed RTT and --network-latency-automatic exclude each other")
	case p.NetworkLatencyPingInterval < 0 || math.IsNaN(p.NetworkLatencyPingInterval) || math.IsInf(p.NetworkLatencyPingInterval, 0):
		return nil, bad("network-latency-ping-interval", "must be finite seconds > 0, got %g", p.NetworkLatencyPingInterval)
	case p.NetworkLatencyPingInterval > 0 && !p.NetworkLatencyAutomatic:
		return nil, bad("network-latency-ping-interval", "needs --network-latency-automatic")
	}
	if !p.NetworkLatencyAutomatic && p.NetworkLatencyMean == 0 {
		return nil, nil
	}
	n := &netLatency{fixedMs: p.NetworkLatencyMean, interval: time.Second} // AIPerf's default interval
	if p.NetworkLatencyPingInterval > 0 {
		n.interval = secs(p.NetworkLatencyPingInterval)
	}
	return n, nil
}

// bind takes the run's targets: each host:port once.
func (n *netLatency) bind(cfg probe.Config) error {
	if n == nil || n.fixedMs > 0 {
		return nil
	}
	seen := map[string]bool{}
	for _, t := range cfg.Targets {
		u, err := url.Parse(t.URL)
		if err != nil || u.Hostname() == "" {
			return &options.Error{Flag: "url", Msg: "no host to probe in " + redact.URL(t.URL)}
		}
		port := u.Port()
		if port == "" {
			port = map[string]string{"https": "443"}[u.Scheme]
			if port == "" {
				port = "80"
			}
		}
		if key := net.JoinHostPort(u.Hostname(), port); !seen[key] {
			seen[key] = true
			n.targets = append(n.targets, netTarget{url: redact.URL(t.URL), host: u.Hostname(), port: port})
		}
	}
	return nil
}

// open creates the samples file in dir; nothing for a fixed RTT.
func (n *netLatency) open(dir string) error {
	if n == nil || n.fixedMs > 0 {
		return nil
	}
	f, err := os.Create(filepath.Join(dir, NetworkLatencyFile))
	if err != nil {
		return fmt.Errorf("--network-latency-automatic: %w", err)
	}
	n.file, n.out = f, bufio.NewWriter(f)
	return nil
}

// onProfiling chains the probes' start before next: every target is probed
// at the profiling phase's start and every interval until finish.
func (n *netLatency) onProfiling(next func()) func() {
	if n == nil || n.file == nil {
		return next
	}
	return func() {
		ctx, cancel := context.WithCancel(context.Background())
		n.stop, n.done = cancel, make(chan struct{})
		go func() {
			defer close(n.done)
			tick := time.NewTicker(n.interval)
			defer tick.Stop()
			for {
				for _, t := range n.targets {
					n.probe(ctx, t)
				}
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
				}
			}
		}()
		if next != nil {
			next()
		}
	}
}

// probe times one TCP handshake to t (the connection is closed at once) and
// writes its sample in AIPerf's shape.
func (n *netLatency) probe(ctx context.Context, t netTarget) {
	ctx, cancel := context.WithTimeout(ctx, max(n.interval, time.Second))
	defer cancel()
	at := time.Now()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(t.host, t.port))
	rtt := time.Since(at)
	if ctx.Err() == context.Canceled {
		return // the run ended during the probe: no sample
	}
	port, _ := strconv.Atoi(t.port)
	sample := map[string]any{"timestamp_ns": at.UnixNano(), "target_url": t.url, "target_host": t.host,
		"target_port": port, "probe_type": "tcp_connect", "rtt_ns": nil, "success": err == nil, "error": nil}
	n.mu.Lock()
	defer n.mu.Unlock()
	if err != nil {
		n.fails++
		sample["error"] = map[string]any{"code": nil, "type": "ConnectionError", "message": err.Error()}
	} else {
		conn.Close()
		n.rtts = append(n.rtts, float64(rtt)/1e6)
		sample["rtt_ns"] = rtt.Nanoseconds()
	}
	b, _ := json.Marshal(sample)
	n.out.Write(append(b, '\n')) // a write error shows at Flush
}

// finish stops the probes, closes the file and returns the RTT to take off
// (ms) and whether there is one: the fixed one, or the mean of the
// successful probes.
func (n *netLatency) finish() (float64, bool, error) {
	if n == nil {
		return 0, false, nil
	}
	if n.fixedMs > 0 {
		return n.fixedMs, true, nil
	}
	if n.file == nil {
		return 0, false, nil
	}
	if n.stop != nil { // the profiling phase started
		n.stop()
		<-n.done
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	err := n.out.Flush()
	if cerr := n.file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, false, fmt.Errorf("write %s: %w", NetworkLatencyFile, err)
	}
	if len(n.rtts) == 0 {
		return 0, false, nil
	}
	return metrics.Summarize(n.rtts).Avg, true, nil
}

// adjustForNetwork adds the network-adjusted latencies to res when there is
// an RTT to take off, and says in the log (and on stderr, for a warning) what
// was taken off.
func (r *Run) adjustForNetwork(res *metrics.Result, rttMs float64, adjust bool, log *zap.Logger, stderr io.Writer) {
	if r.netLat == nil {
		return
	}
	if !adjust {
		msg := "no network latency probe succeeded: the latencies are not adjusted"
		log.Warn(msg)
		fmt.Fprintln(stderr, "Warning: "+msg)
		return
	}
	log.Info("network RTT taken off the latencies", zap.Float64("network_rtt_ms", rttMs), zap.Int("failed_probes", r.netLat.fails))
	if metrics.NetworkAdjust(res, rttMs) {
		msg := fmt.Sprintf("the network RTT (%.3f ms) exceeds some latency statistics; those adjusted are clamped at 0", rttMs)
		log.Warn(msg)
		fmt.Fprintln(stderr, "Warning: "+msg)
	}
}
