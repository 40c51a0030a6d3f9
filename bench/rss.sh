#!/usr/bin/env bash
# Peak RSS of `aiperf-exporter profile` after N streamed requests of 200 tokens
# against the mock in its own process (issue 17.1: records stream to disk, the
# run keeps only metric values). Prints a markdown section on stdout.
# Usage: bash bench/rss.sh [N...]   (default: 10000 100000 1000000)
# 1,000,000 requests take about an hour on 2 shared cores.
set -euo pipefail
cd "$(dirname "$0")/.."
counts=("$@")
[ $# -eq 0 ] && counts=(10000 100000 1000000)
addr=${RSS_MOCK_ADDR:-127.0.0.1:18971}
tmp=$(mktemp -d)
mock=""
cleanup() { [ -n "$mock" ] && kill "$mock" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

go build -o "$tmp/aiperf-exporter" ./cmd/aiperf-exporter
"$tmp/aiperf-exporter" mock-server -addr "$addr" -ttft 0 -itl 0 >"$tmp/mock.log" 2>&1 &
mock=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/${addr%:*}/${addr#*:}") 2>/dev/null && break; sleep 0.1; done

# peak N: prints "peak_kB seconds" of one run of N requests.
peak() {
	local dir="$tmp/run-$1"
	/usr/bin/time -f "%M %e" -o "$tmp/time" "$tmp/aiperf-exporter" profile --url "$addr" --model m --streaming \
		--request-count "$1" --concurrency 32 --synthetic-input-tokens-mean 16 \
		--output-tokens-mean 200 --output-tokens-stddev 0 --artifact-dir "$dir" >/dev/null 2>"$tmp/err" ||
		{ cat "$tmp/err" >&2; exit 1; }
	local jsonl
	jsonl=$(stat -c %s "$dir/profile_export.jsonl")
	rm -rf "$dir"
	echo "$(cat "$tmp/time") $jsonl"
}

echo "rss: baseline run of 1000 requests" >&2
read -r base _ _ <<<"$(peak 1000)"
echo
echo "## Profile memory: records stream to disk (bench/rss.sh)"
echo
echo "Peak RSS (\`/usr/bin/time\` maxrss) of \`profile --streaming --concurrency 32 --output-tokens-mean 200\`"
echo "against \`mock-server -ttft 0 -itl 0\` in its own process; per request = (peak − the row above's peak) ÷ (N − the row above's N)."
echo "Goal: at most 200 B kept per finished request, whatever the response length (what the run keeps is tested in"
echo "\`profile.TestRecorderMemoryPerRequest\`; RSS adds Go's GC headroom and the final aggregation's transient columns). $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores."
echo
echo "| requests | peak RSS | per request | run time | profile_export.jsonl |"
echo "|---|---|---|---|---|"
echo "| 1000 | $((base / 1024)) MB | (baseline) | | |"
prev_n=1000 prev_kb=$base
for n in "${counts[@]}"; do
	echo "rss: $n requests" >&2
	read -r kb secs bytes <<<"$(peak "$n")"
	per=$(( (kb - prev_kb) * 1024 / (n - prev_n) ))
	prev_n=$n prev_kb=$kb
	printf '| %s | %s MB | %s B | %s s | %s MB |\n' "$n" $((kb / 1024)) "$per" "$secs" $((bytes / 1048576))
done
case " ${counts[*]} " in
*" 1000000 "*) ;;
*) echo; echo "1000000 requests were not run here (about an hour on this machine): \`bash bench/rss.sh 1000000\` runs them." ;;
esac
