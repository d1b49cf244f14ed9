#!/bin/sh
# Instructions per iteration under callgrind, for one bench of a criterion bench binary.
#
#   benches/instructions.sh BENCH_BINARY 'FILTER' [PER_ITERATION]
#
# e.g. benches/instructions.sh target/release/deps/ssl-<hash> '^warm/rsa2048/sectrust$'
#      benches/instructions.sh target/release/deps/ssl-<hash> '^batch/p256/webpki$' 1000
#
# Runs the bench with callgrind collecting only inside criterion's timing loop
# (`Bencher::iter`) and divides the instructions collected by the iterations the bench counted
# (benches/common), and by PER_ITERATION (default 1; 1000 for a batch: per leaf).
# Deterministic: other load on the machine does not change it. See benches/README.md.
set -eu
bin=$1
filter=$2
per=${3:-1}
out=$(mktemp "${TMPDIR:-/tmp}/callgrind.XXXXXX")
log=$(mktemp "${TMPDIR:-/tmp}/bench.XXXXXX")
BENCH_ITERATIONS=1 valgrind --tool=callgrind --log-file="$out.log" --collect-atstart=no \
    --toggle-collect='*Bencher*iter*' --callgrind-out-file="$out" \
    "$bin" --bench --profile-time 2 "$filter" >/dev/null 2>"$log"
total=$(sed -n 's/^summary: //p' "$out")
iterations=$(sed -n 's/^bench iterations: //p' "$log")
if [ -z "$iterations" ] || [ "$iterations" -eq 0 ]; then
    echo "no iterations counted for $filter" >&2
    exit 1
fi
awk -v t="$total" -v n="$iterations" -v per="$per" 'BEGIN {
    printf "%.0f instructions per %s (%.0f instructions, %d iterations of %d)\n",
        t / n / per, per == 1 ? "iteration" : "element", t, n, per }'
echo "callgrind output: $out" >&2
rm -f "$log"
