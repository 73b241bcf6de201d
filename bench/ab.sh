#!/usr/bin/env bash
# ab.sh — two vHBA jars, alternating A B A B ..., the same fio workloads against a fresh target each run, one table.
# For "does this change cost anything?" on a machine whose speed drifts: interleaving spreads the drift over both.
#
# Usage: bench/ab.sh JAR_A JAR_B [OUTDIR]
#   Env: PEERS [../shared/peers]  ROUNDS [3]  RUNTIME [10] RAMP [1] (seconds per workload)  SIZE [256m] (the region)
#        WORKLOADS [randread-4k-qd1 randread-4k-qd32 randwrite-4k-qd32]  VHBA_ARGS [] (serve flags for both)
# Build JAR_A from another commit with: git worktree add /tmp/a COMMIT && (cd /tmp/a && mvn -q package -DskipTests)
# Each run is the peers' load.sh (prefill, then the workloads) with TARGET_PID set, as metrics-overhead.sh does.
# Prints per run: IOPS, fio's mean latency, and the target's CPU µs per I/O (at QD 1 that includes the processors'
# polling). A benchmark, not a test: it asserts nothing.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
PEERS=${PEERS:-$ROOT/../shared/peers}
[ -d "$PEERS" ] || [ ! -d "$ROOT/../../shared/peers" ] || PEERS=$ROOT/../../shared/peers  # a git worktree one level deeper
[ $# -ge 2 ] && [ -f "$1" ] && [ -f "$2" ] || { echo "usage: bench/ab.sh JAR_A JAR_B [OUTDIR] (both jars must exist)" >&2; exit 2; }
[ -x "$PEERS/load.sh" ] || { echo "error: $PEERS/load.sh not found (set PEERS)" >&2; exit 2; }
JAR_A=$1; JAR_B=$2
OUT=${3:-$ROOT/bench/out/ab-$(date +%Y%m%d-%H%M%S)}
ROUNDS=${ROUNDS:-3}
export RUNTIME=${RUNTIME:-10} RAMP=${RAMP:-1} SIZE=${SIZE:-256m}
export WORKLOADS=${WORKLOADS:-randread-4k-qd1 randread-4k-qd32 randwrite-4k-qd32}
JAR=$JAR_A
. "$HERE/lib/common.sh"
mkdir -p "$OUT"
VPID=
trap '[ -n "$VPID" ] && kill "$VPID" 2>/dev/null; wait 2>/dev/null' EXIT
echo "A=$JAR_A B=$JAR_B rounds=$ROUNDS runtime=${RUNTIME}s load: $(cat /proc/loadavg)"
for r in $(seq "$ROUNDS"); do
  for v in A B; do
    if [ $v = A ]; then JAR=$JAR_A; else JAR=$JAR_B; fi
    d=$OUT/$v$r; mkdir -p "$d"
    start_vhba "$d" --size 1G ${VHBA_ARGS:-} || exit 1
    TARGET_PID=$VPID "$PEERS/load.sh" "$VURL" "$d" > "$d/load.out" 2>&1
    stop_vhba "$d" > "$d/counters.txt"
  done
done
python3 - "$OUT" "$ROUNDS" <<'PY'
import os, sys
out, rounds = sys.argv[1], int(sys.argv[2])
print("| round | jar | workload | IOPS | mean µs | target CPU µs/IO |\n|---:|---|---|---:|---:|---:|")
for r in range(1, rounds + 1):
    for v in "AB":
        p = os.path.join(out, f"{v}{r}", "summary.tsv")
        rows = [l.rstrip("\n").split("\t") for l in (open(p) if os.path.exists(p) else [])]
        for f in rows:
            if f[0].startswith("#") or f[0] == "workload":  # load.sh's comment and header lines
                continue
            if f[1] in ("", "FAILED"):
                print(f"| {r} | {v} | {f[0]} | FAILED | | |"); continue
            # load.sh's tgt_cpu is % of one core over the run: µs of target CPU per I/O = cpu% / 100 * 1e6 / IOPS
            cpu = f"{float(f[5]) * 1e4 / float(f[1]):.1f}" if f[5] else "-"
            print(f"| {r} | {v} | {f[0]} | {f[1]} | {f[3]} | {cpu} |")
PY
echo "load at the end: $(cat /proc/loadavg); results in $OUT"
