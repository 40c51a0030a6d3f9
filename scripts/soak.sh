#!/bin/sh
# Soak test: the `serve` daemon probing a flaky mock server at high concurrency
# for DURATION (default 10m). Prints RSS, goroutines and open file descriptors
# after a warm-up and at the end, and fails when they grew past these bounds
# (documented in docs/reliability.md):
#   goroutines  end <= 1.5 x start + 50
#   open fds    end <= 1.5 x start + 20
#   RSS         end <= 2 x start
# It also fails when the daemon died, stopped answering /metrics or stopped
# counting requests. With HOSTILE=1 (the default) the daemon probes, round robin,
# the mock and scripts/hostile (endless SSE lines, endless 200 and error bodies,
# gzip, bare-CR lines, stalls; every answer bounded in bytes and time); it fails
# too when the hostile server got no request. Settings (env): DURATION (10m),
# WARMUP (30s), CONCURRENCY (64), INTERVAL between progress lines (30s), HOSTILE
# (1; 0 for the mock alone), HOSTILE_MODES (its modes, comma separated; default
# all), BIN (a built aiperf-exporter; default: go build
# into a temp dir). AIPERF_* variables reach serve (e.g. AIPERF_RESPONSE_BUDGET_MIB).
# Everything listens on 127.0.0.1 only.
set -eu
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10m}
WARMUP=${WARMUP:-30s}
CONCURRENCY=${CONCURRENCY:-64}
INTERVAL=${INTERVAL:-30}
HOSTILE=${HOSTILE:-1}
HOSTILE_MODES=${HOSTILE_MODES:-}

secs() { # 90s, 10m, 1h, 45 -> seconds
	case $1 in
	*h) echo $((${1%h} * 3600)) ;;
	*m) echo $((${1%m} * 60)) ;;
	*s) echo "${1%s}" ;;
	*) echo "$1" ;;
	esac
}
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

work=$(mktemp -d)
mock_pid= serve_pid= hostile_pid=
cleanup() {
	[ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
	[ -n "$hostile_pid" ] && kill "$hostile_pid" 2>/dev/null && wait "$hostile_pid" 2>/dev/null
	[ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null && wait "$mock_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

BIN=${BIN:-}
if [ -z "$BIN" ]; then
	BIN=$work/aiperf-exporter
	go build -o "$BIN" ./cmd/aiperf-exporter
fi

mock_port=$(free_port)
metrics_port=$(free_port)
"$BIN" mock-server --addr "127.0.0.1:$mock_port" --ttft 50 --itl 10 >"$work/mock.log" 2>&1 &
mock_pid=$!
mock=http://127.0.0.1:$mock_port
for _ in $(seq 50); do curl -fsS "$mock/health" >/dev/null 2>&1 && break; sleep 0.2; done
# Every fault mode at a few percent each (about 20% of requests fail or stall).
curl -fsS -X POST "$mock/configure" -d '{"ttft_ms":50,"itl_ms":10,"faults":{
	"error500":0.03,"error429":0.03,"drop_mid_stream":0.03,"malformed_event":0.03,
	"error_event":0.03,"truncate":0.03,"stall":0.02,"stall_ms":2000,
	"slow_headers":0.02,"slow_headers_ms":300,"wrong_content_type":0.02}}' >/dev/null

urls="--url mock=$mock"
if [ "$HOSTILE" = 1 ]; then
	go build -o "$work/hostile" ./scripts/hostile
	hostile_port=$(free_port)
	hostile=http://127.0.0.1:$hostile_port
	"$work/hostile" -addr "127.0.0.1:$hostile_port" -max-bytes $((256 << 20)) -max-time 10s -modes "$HOSTILE_MODES" >"$work/hostile.log" 2>&1 &
	hostile_pid=$!
	for _ in $(seq 50); do curl -fsS "$hostile/health" >/dev/null 2>&1 && break; sleep 0.2; done
	urls="$urls --url hostile=$hostile"
fi

# shellcheck disable=SC2086 # $urls is two words per URL
"$BIN" serve $urls --model mock-model --streaming --concurrency "$CONCURRENCY" \
	--isl 50 --osl 20 --request-timeout-seconds 1.5 --web.listen-address "127.0.0.1:$metrics_port" \
	--log.level error >"$work/serve.log" 2>&1 &
serve_pid=$!
metrics=http://127.0.0.1:$metrics_port/metrics

# sample prints "rss_kb goroutines fds requests errors budget_held_kb" of the daemon.
sample() {
	body=$(curl -fsS --max-time 10 "$metrics") || { echo "FAIL: /metrics did not answer" >&2; tail -20 "$work/serve.log" >&2; exit 1; }
	rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$serve_pid/status")
	g=$(echo "$body" | awk '$1=="go_goroutines" {print $2}')
	fds=$(echo "$body" | awk '$1=="process_open_fds" {printf "%d", $2}')
	req=$(echo "$body" | awk '/^aiperf_requests_total\{/ {s+=$2} END {printf "%d", s}')
	err=$(echo "$body" | awk '/^aiperf_requests_total\{/ && /outcome="error"/ {s+=$2} END {printf "%d", s}')
	held=$(echo "$body" | awk '$1=="aiperf_exporter_response_budget_held_bytes" {printf "%d", $2 / 1024}')
	echo "$rss $g $fds $req $err ${held:-0}"
}
alive() { kill -0 "$serve_pid" 2>/dev/null || { echo "FAIL: the daemon died" >&2; tail -20 "$work/serve.log" >&2; exit 1; }; }

echo "soak: concurrency $CONCURRENCY, warm-up $WARMUP, duration $DURATION, mock $mock, hostile ${hostile:-off}, daemon $metrics"
sleep "$(secs "$WARMUP")"
alive
set -- $(sample)
rss0=$1 g0=$2 fd0=$3 req0=$4 rss_max=$1 held_max=$6
echo "start: rss ${rss0} kB, goroutines $g0, open fds $fd0, requests $req0 (errors $5)"

end=$(($(date +%s) + $(secs "$DURATION")))
while [ "$(date +%s)" -lt "$end" ]; do
	left=$((end - $(date +%s)))
	sleep $((left < INTERVAL ? left : INTERVAL))
	alive
	set -- $(sample)
	echo "  $(date +%T): rss $1 kB, goroutines $2, open fds $3, requests $4 (errors $5), response budget held $6 kB"
	if [ "$1" -gt "$rss_max" ]; then rss_max=$1; fi
	if [ "$6" -gt "$held_max" ]; then held_max=$6; fi
done
set -- $(sample)
rss1=$1 g1=$2 fd1=$3 req1=$4
echo "end:   rss ${rss1} kB, goroutines $g1, open fds $fd1, requests $req1 (errors $5)"

fail=0
check() { # name end bound
	if [ "$2" -gt "$3" ]; then echo "FAIL: $1 grew to $2, above the bound $3" >&2; fail=1; else echo "ok: $1 $2 <= $3"; fi
}
check goroutines "$g1" $((g0 * 3 / 2 + 50))
check "open fds" "$fd1" $((fd0 * 3 / 2 + 20))
check "RSS (kB)" "$rss1" $((rss0 * 2))
if [ "$req1" -le "$req0" ]; then echo "FAIL: no request counted during the soak" >&2; fail=1; fi
echo "requests during the soak: $((req1 - req0)), $(( (req1 - req0) / $(secs "$DURATION") ))/s"
echo "highest RSS sampled: ${rss_max} kB; highest response budget held sampled: ${held_max} kB"
curl -fsS "$metrics" | awk '/^aiperf_exporter_response_budget_(limit_bytes|refusals_total)/' | sed 's/^/  /'
if [ "$HOSTILE" = 1 ]; then
	echo "hostile server answers (mode count):" $(curl -fsS "$hostile/stats")
	echo "daemon's requests by target and outcome:"
	curl -fsS "$metrics" | awk '/^aiperf_requests_total\{/' | sed 's/^/  /'
	echo "daemon's errors by target and reason:"
	curl -fsS "$metrics" | awk '/^aiperf_request_errors_total\{/ && $2 > 0' | sed 's/^/  /'
	[ "$(curl -fsS "$hostile/stats" | awk '{s+=$2} END {print s+0}')" -gt 0 ] || { echo "FAIL: the hostile server got no request" >&2; fail=1; }
fi
exit $fail
