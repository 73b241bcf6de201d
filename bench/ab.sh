#!/usr/bin/env bash
# ab.sh — two vHBA jars, alternating A B A B ..., the same fio workloads against a fresh target each run, one table.
# For "does this change cost anything?" on a machine whose speed drifts: interleaving spreads the drift over both.
#
# Usage: bench/ab.sh JAR_A JAR_B [OUTDIR]
#   Env: PEERS [../shared/peers]  ROUNDS [3]  RUNTIME [10] (seconds per workload)  SIZE [256m] (the region, prefilled)
#        WORKLOADS [randread-4k-qd1 randread-4k-qd32 randwrite-4k-qd32]  VHBA_ARGS [] (serve flags for both)
# Build JAR_A from another commit with: git worktree add /tmp/a COMMIT && (cd /tmp/a && mvn -q package -DskipTests)
# Prints per run: IOPS, fio's mean latency, and the target's CPU µs per I/O (utime+stime from /proc over the
# workload, ramp included, divided by fio's I/Os; at QD 1 it includes the processors' polling). A benchmark, not a
# test: it asserts nothing.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
PEERS=${PEERS:-$ROOT/../shared/peers}
[ -d "$PEERS" ] || [ ! -d "$ROOT/../../shared/peers" ] || PEERS=$ROOT/../../shared/peers  # a git worktree one level deeper
[ $# -ge 2 ] && [ -f "$1" ] && [ -f "$2" ] || { echo "usage: bench/ab.sh JAR_A JAR_B [OUTDIR] (both jars must exist)" >&2; exit 2; }
JAR_A=$1; JAR_B=$2
OUT=${3:-$ROOT/bench/out/ab-$(date +%Y%m%d-%H%M%S)}
ROUNDS=${ROUNDS:-3}; RUNTIME=${RUNTIME:-10}; SIZE=${SIZE:-256m}
WORKLOADS=${WORKLOADS:-randread-4k-qd1 randread-4k-qd32 randwrite-4k-qd32}
JAR=$JAR_A
. "$HERE/lib/common.sh"
[ -x "$PEERS/build-fio-iscsi.sh" ] || { echo "error: $PEERS/build-fio-iscsi.sh not found (set PEERS)" >&2; exit 2; }
FIO=${FIO:-$("$PEERS/build-fio-iscsi.sh")} || { echo "error: cannot build fio with the libiscsi engine" >&2; exit 2; }
export FIO
mkdir -p "$OUT"
VPID=
trap '[ -n "$VPID" ] && kill "$VPID" 2>/dev/null; wait 2>/dev/null' EXIT
HZ=$(getconf CLK_TCK)
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
echo "A=$JAR_A B=$JAR_B rounds=$ROUNDS runtime=${RUNTIME}s load: $(cat /proc/loadavg)"
printf "| round | jar | workload | IOPS | mean µs | target CPU µs/IO |\n|---:|---|---|---:|---:|---:|\n"
for r in $(seq "$ROUNDS"); do
  for v in A B; do
    if [ $v = A ]; then JAR=$JAR_A; else JAR=$JAR_B; fi
    d=$OUT/$v$r; mkdir -p "$d"
    start_vhba "$d" --size 1G ${VHBA_ARGS:-} || exit 1
    prefill "$VURL" "$SIZE"
    for w in $WORKLOADS; do
      t0=$(ticks "$VPID")
      res=$(fio_run "$w" "$VURL" "$d/$w.json" 1 "$RUNTIME" $(workload_args "$w") --size="$SIZE" --time_based \
            --runtime="$RUNTIME" --ramp_time=1) || { echo "| $r | $v | $w | FAILED | | |"; continue; }
      t1=$(ticks "$VPID")
      read -r iops _ mean _ _ <<< "$res"
      cpu=$(python3 - "$d/$w.json" "$t0" "$t1" "$HZ" <<'PY'
import json, sys
t = open(sys.argv[1]).read(); j = json.loads(t[t.index('{'):])['jobs'][0]
ios = j['read']['total_ios'] + j['write']['total_ios']
print(f"{(int(sys.argv[3]) - int(sys.argv[2])) / int(sys.argv[4]) * 1e6 / max(ios, 1):.1f}")
PY
)
      echo "| $r | $v | $w | $iops | $mean | $cpu |"
    done
    stop_vhba "$d" > "$d/counters.txt"
  done
done
echo "load at the end: $(cat /proc/loadavg); results in $OUT"
