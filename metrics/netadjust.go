package metrics

// networkAdjusted pairs each network-adjusted metric with its source: the
// latencies that start at the client's send, so they hold the network's
// round trip. TTST, ITL and ICL are gaps within a stream and hold none.
var networkAdjusted = [][2]string{
	{RequestLatency, NetAdjustedRequestLatency},
	{TTFT, NetAdjustedTTFT},
	{TTFO, NetAdjustedTTFO},
}

// NetworkAdjust adds AIPerf's network-adjusted latencies to res: each
// statistic of the source metric less rttMs, clamped at 0 (the std is
// unchanged: a constant shift), and network_rtt, the RTT taken off. The raw
// metrics stay as they are. It reports whether any value was clamped (the RTT
// is larger than some measured latencies).
func NetworkAdjust(res *Result, rttMs float64) (clamped bool) {
	shift := func(v float64) float64 {
		if v < rttMs {
			clamped = true
			return 0
		}
		return v - rttMs
	}
	for _, pair := range networkAdjusted {
		src, ok := res.Metrics[pair[0]]
		if !ok {
			continue
		}
		def, _ := Lookup(pair[1])
		s := src.Stats
		adj := Summary{Count: s.Count, Std: s.Std,
			Avg: shift(s.Avg), Min: shift(s.Min), Max: shift(s.Max),
			P1: shift(s.P1), P5: shift(s.P5), P10: shift(s.P10), P25: shift(s.P25), P50: shift(s.P50),
			P75: shift(s.P75), P90: shift(s.P90), P95: shift(s.P95), P99: shift(s.P99)}
		adj.Sum = adj.Avg * float64(s.Count)
		res.Metrics[pair[1]] = Metric{Def: def, Stats: adj}
	}
	def, _ := Lookup(NetworkRTT)
	res.Metrics[NetworkRTT] = Metric{Def: def, Value: rttMs}
	return clamped
}
