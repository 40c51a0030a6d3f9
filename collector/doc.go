// Package collector turns finished records into Prometheus metrics on a registry
// we own: classic-and-native histograms of the per-request metrics that
// metrics.ForRecord defines, counters by outcome and error reason, and gauges for
// in-flight requests and the configured load. Metric names are the public contract
// of docs/design.md. Handler serves the registry, cheaply enough for a scrape of
// many scenarios.
//
// # Why the histograms and the OpenMetrics writer are our own
//
// client_golang's histograms served by promhttp are the design's first
// choice; ours (histVec, gatherFast, appendFamily, freeList, BestSpeed gzip)
// must pay for themselves. The goal is a p99 of at most 10 ms per scrape of 10
// scenarios (one scrape every 15 s). BenchmarkScrapeLatency serves the same
// records through both, interleaved scrape after scrape (1000 per round,
// OpenMetrics, gzip, same buckets and labels, classic + native), and reports
// wall and CPU time. Medians of five rounds on 2 shared cores, load average
// 14 to 17 (2026-12-05):
//
//	                         p50 wall  p99 wall  p50 CPU  p99 CPU
//	client_golang + promhttp  7.4 ms    85 ms     7.1 ms   18.3 ms
//	ours (Handler)            1.9 ms    24 ms     1.9 ms    6.1 ms
//
// client_golang misses the goal on CPU time alone, which a loaded machine
// stretches far less than wall time, so ours stay. Its scrape allocates about
// 1.1 MB against our 0.26 MB (BenchmarkScrape), and the garbage collections
// that follow make its tail.
// TestHistogramMatchesClientGolang, TestCollectorMatchesClientGolang and the
// byte-for-byte scrape tests keep them equal to client_golang's output.
package collector
