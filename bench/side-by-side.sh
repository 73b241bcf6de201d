#!/usr/bin/env bash
# side-by-side.sh — vHBA and tgt on the same machine, the same fio workloads, one table.
#
# Usage: bench/side-by-side.sh [OUTDIR]
#   Env: PEERS [../shared/peers]  directory with load.sh, start-tgt.sh, stop-tgt.sh, build-fio-iscsi.sh
#        RUNTIME [20] RAMP [2]     seconds per workload (passed to load.sh)
#        WORKLOADS [all five]      as load.sh
#        VHBA_ARGS []              extra flags for `vhba.jar serve` (e.g. "--controller threaded")
#        SIZE [1G]                 LUN size for both targets
# Builds fio with the libiscsi engine if missing and the vHBA jar if missing, starts vHBA on
# 127.0.0.1:3262 and tgt on 127.0.0.1:3263 (RAM backed, /dev/shm), runs load.sh against each in
# turn (never both at once), and prints one table with both rows and the vHBA/tgt ratio.
# This is a benchmark, not a test: it asserts nothing.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
PEERS=${PEERS:-$ROOT/../shared/peers}
OUT=${1:-$ROOT/bench/out/$(date +%Y%m%d-%H%M%S)}
SIZE=${SIZE:-1G}
VPORT=3262
TPORT=3263
mkdir -p "$OUT"
for s in load.sh start-tgt.sh stop-tgt.sh build-fio-iscsi.sh; do
  [ -x "$PEERS/$s" ] || { echo "error: $PEERS/$s not found (set PEERS)" >&2; exit 2; }
done
command -v tgtd >/dev/null || { echo "error: tgtd missing (apt-get install -y tgt)" >&2; exit 2; }
FIO=$("$PEERS/build-fio-iscsi.sh") || { echo "error: cannot build fio" >&2; exit 2; }
export FIO
JAR=$ROOT/emulator/target/vhba.jar
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q package -DskipTests) || { echo "error: build failed" >&2; exit 2; }

VPID=
cleanup() {
  [ -n "$VPID" ] && kill "$VPID" 2>/dev/null && wait "$VPID" 2>/dev/null
  "$PEERS/stop-tgt.sh" "$TPORT" >/dev/null 2>&1
}
trap cleanup EXIT

# --- vHBA ---------------------------------------------------------------------------
java -jar "$JAR" serve --listen 127.0.0.1:$VPORT --size "$SIZE" ${VHBA_ARGS:-} > "$OUT/vhba.url" 2> "$OUT/vhba.log" &
VPID=$!
for _ in $(seq 100); do [ -s "$OUT/vhba.url" ] && break; sleep 0.2; done
VURL=$(head -1 "$OUT/vhba.url")
[ -n "$VURL" ] || { echo "error: vHBA did not start:" >&2; cat "$OUT/vhba.log" >&2; exit 1; }
echo "bench: vHBA at $VURL (pid $VPID)" >&2
TARGET_PID=$VPID "$PEERS/load.sh" "$VURL" "$OUT/vhba" | sed 's/^/  vhba: /' >&2
kill "$VPID"; wait "$VPID" 2>/dev/null; VPID=

# --- tgt ----------------------------------------------------------------------------
TURL=$("$PEERS/start-tgt.sh" "$TPORT" iqn.2026-11.test:tgt "$SIZE" 2>"$OUT/tgt.start" | tail -1)
TPID=$(cat /tmp/peer-tgt-$TPORT/tgtd.pid)
echo "bench: tgt at $TURL (pid $TPID)" >&2
TARGET_PID=$TPID "$PEERS/load.sh" "$TURL" "$OUT/tgt" | sed 's/^/  tgt:  /' >&2
"$PEERS/stop-tgt.sh" "$TPORT" >/dev/null 2>&1

# --- the table ------------------------------------------------------------------------
python3 - "$OUT/vhba/summary.tsv" "$OUT/tgt/summary.tsv" <<'PY' | tee "$OUT/table.md"
import sys
def load(p):
    rows = {}
    for line in open(p):
        if line.startswith('#') or line.startswith('workload'):
            continue
        f = line.rstrip('\n').split('\t')
        rows[f[0]] = f
    return rows
v, t = load(sys.argv[1]), load(sys.argv[2])
print("| workload | target | IOPS | MB/s | mean µs | p99 µs | target CPU % | fio CPU % |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
def num(x):
    try: return float(x)
    except: return None
for w in v.keys() | t.keys():
    pass
order = ["randread-4k-qd1", "randread-4k-qd32", "randwrite-4k-qd32", "seqread-128k-qd8", "seqwrite-128k-qd8"]
for w in [o for o in order if o in v or o in t]:
    for name, rows in (("vHBA", v), ("tgt", t)):
        r = rows.get(w)
        if r is None or r[1] == "FAILED":
            print(f"| {w} | {name} | FAILED | | | | | |")
        else:
            print(f"| {w} | {name} | {int(float(r[1])):,} | {r[2]} | {r[3]} | {r[4]} | {r[5]} | {r[6]} |")
    a, b = v.get(w), t.get(w)
    if a and b and num(a[1]) and num(b[1]):
        print(f"| {w} | **vHBA/tgt** | **{num(a[1])/num(b[1]):.2f}x** | | | | | |")
PY
echo "bench: results in $OUT" >&2
