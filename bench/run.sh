#!/usr/bin/env bash
# Runs every performance benchmark of issue 7 and regenerates docs/performance.md
# with the machine it ran on. Usage: bash bench/run.sh  (from anywhere in the repo)
# Needs Go and the Go module proxy (vegeta is installed from it into a temp dir).
# `bash bench/run.sh scrape` measures only the scrape row again and keeps the rest.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ "${1:-}" = scrape ]; then
	go build -o "$tmp/perf" ./bench/perf
	"$tmp/perf" all -only scrape -out docs/performance.md
	exit 0
fi

echo "bench: building aiperf-exporter, perf and vegeta" >&2
go build -o "$tmp/aiperf-exporter" ./cmd/aiperf-exporter
go build -o "$tmp/perf" ./bench/perf
GOBIN="$tmp" go install github.com/tsenart/vegeta/v12@latest

echo "bench: go benchmarks (hot path, request preparation, before/after)" >&2
go test -run '^$' -bench 'StreamChunk|ChunkFields|ParseUsage|RequestPrepare|RequestBodyMarshal|SmallBodyRoundTrip' -benchmem -count 5 -benchtime 200ms ./probe/ | tee "$tmp/gobench.txt" >&2
go test -run '^$' -bench 'BenchmarkScrape$/(before|after)' -benchmem -count 5 -benchtime 200ms ./collector/ | tee -a "$tmp/gobench.txt" >&2
go test -run '^$' -bench 'BenchmarkCount$/qwen2/(pipeline|encoder)' -benchmem -count 5 -benchtime 200ms ./tokens/ | tee -a "$tmp/gobench.txt" >&2

echo "bench: load runs" >&2
"$tmp/perf" all -ae "$tmp/aiperf-exporter" -vegeta "$tmp/vegeta" -gobench "$tmp/gobench.txt" -out docs/performance.md

echo "bench: profile memory (bench/rss.sh; RSS_COUNTS, default 10000 100000)" >&2
# shellcheck disable=SC2086 # a list of counts
bash bench/rss.sh ${RSS_COUNTS:-10000 100000} >>docs/performance.md

echo "bench: kernel receive stamps against the userspace clients (perf kstamps)" >&2
"$tmp/perf" kstamps -md -ae "$tmp/aiperf-exporter" >>docs/performance.md
