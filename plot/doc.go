// Package plot draws PNG charts from per-request records: TTFT and request
// latency over time, their distributions, TTFT against audio length, and the
// comparison of several runs (latency against concurrency, total against
// per-user throughput). Every figure comes from metrics.ForRecord or
// metrics.Aggregate; nothing here measures or derives a metric itself.
package plot
