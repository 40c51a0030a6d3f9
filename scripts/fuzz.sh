#!/bin/sh
# Runs every fuzz target of the module (each `func FuzzXxx` in a _test.go file)
# for a bounded time each: FUZZTIME (default 20s), PARALLEL workers (default 1,
# the machine is shared). Limit to some packages with: scripts/fuzz.sh ./probe ./options
# A failing input is saved by Go under the package's testdata/fuzz/: commit it,
# it becomes a regression seed run by every `go test`.
set -eu
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-20s}
PARALLEL=${PARALLEL:-1}
dirs=${*:-.}
status=0
targets=$(grep -rEo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]+' $dirs | sed -E 's#^(.*)/[^/]+_test\.go:func #\1 #' | sort -u)
[ -n "$targets" ] || { echo "no fuzz targets found" >&2; exit 1; }
echo "$targets" | while read -r dir name; do
	case $dir in ./*|/*) ;; *) dir=./$dir ;; esac
	echo "== $dir $name ($FUZZTIME)"
	if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" -parallel "$PARALLEL" "$dir" </dev/null; then
		echo "FAIL: $dir $name" >&2
		echo "$dir $name" >>"${TMPDIR:-/tmp}/fuzz-failures.$$"
	fi
done
if [ -s "${TMPDIR:-/tmp}/fuzz-failures.$$" ]; then
	echo "fuzz failures:" >&2
	cat "${TMPDIR:-/tmp}/fuzz-failures.$$" >&2
	rm -f "${TMPDIR:-/tmp}/fuzz-failures.$$"
	status=1
fi
exit $status
