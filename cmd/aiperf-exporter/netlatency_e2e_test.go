package main

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// --network-latency-mean takes a fixed RTT off the send-anchored latencies;
// --network-latency-automatic measures it by TCP handshakes to the mock,
// each probe written to profile_export_network_latency.jsonl.
func TestProfileNetworkLatency(t *testing.T) {
	base := []string{"--mock", "--model", "m", "--request-count", "4", "--streaming", "--no-server-metrics"}

	_, dir := profileOK(t, append(base, "--network-latency-mean", "1.5")...)
	export := readJSON(t, filepath.Join(dir, "profile_export_aiperf.json"))
	if rtt := stat(t, export, "network_rtt", "avg"); rtt != 1.5 {
		t.Errorf("network_rtt %g, want 1.5", rtt)
	}
	for _, pair := range [][2]string{{"request_latency", "network_adjusted_request_latency"},
		{"time_to_first_token", "network_adjusted_time_to_first_token"}} {
		for _, key := range []string{"avg", "p50", "max"} {
			raw, adj := stat(t, export, pair[0], key), stat(t, export, pair[1], key)
			if math.Abs(raw-1.5-adj) > 1e-9 {
				t.Errorf("%s %s = %g, want %s's %g less 1.5", pair[1], key, adj, pair[0], raw)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "profile_export_network_latency.jsonl")); err == nil {
		t.Error("a fixed RTT wrote probe samples")
	}

	_, dir = profileOK(t, append(base, "--network-latency-automatic", "--network-latency-ping-interval", "0.05")...)
	samples := testkit.ReadJSONLines[struct {
		Type    string  `json:"probe_type"`
		Host    string  `json:"target_host"`
		Port    int     `json:"target_port"`
		RTT     float64 `json:"rtt_ns"`
		Success bool    `json:"success"`
	}](t, filepath.Join(dir, "profile_export_network_latency.jsonl"))
	n := len(samples)
	var sum float64
	for _, s := range samples {
		if s.Type != "tcp_connect" || s.Host != "127.0.0.1" || s.Port == 0 || !s.Success || !(s.RTT > 0) {
			t.Errorf("sample %+v", s)
		}
		sum += s.RTT
	}
	if n == 0 {
		t.Fatal("no probe sample")
	}
	export = readJSON(t, filepath.Join(dir, "profile_export_aiperf.json"))
	if rtt := stat(t, export, "network_rtt", "avg"); math.Abs(rtt-sum/float64(n)/1e6) > 1e-6 {
		t.Errorf("network_rtt %g ms, want the samples' mean %g", rtt, sum/float64(n)/1e6)
	}
}
