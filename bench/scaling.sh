#!/usr/bin/env bash
# scaling.sh — IOPS and mean latency of vHBA and tgt over sessions x queue depth, one table.
#
# Usage: bench/scaling.sh [OUTDIR]
#   Env: PEERS [../shared/peers]  RUNTIME [5] RAMP [1] (seconds per point)  SIZE [1G]
#        SESSIONS_LIST ["1 4 16 64"]  QD_LIST ["1 8 32 128"]  RW [randread]  BS [4k]
#        MINIPORT [mailbox]  VHBA_ARGS []  VHBA_JAVA_OPTS []  TARGETS ["vhba tgt"]
# Each point is one fio process with SESSIONS jobs (one iSCSI session each) at QD per session. The last lines give
# 16 sessions over 1 session at QD 32 for each target (issue 11 asks >= 1.5x of vHBA on a 2-core machine), and
# vHBA's shutdown counters (the verifier is on; every I/O went through the miniport, an interrupt and a DPC).
# A benchmark, not a test: it asserts nothing. On a shared machine compare ratios within one run only.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
PEERS=${PEERS:-$ROOT/../shared/peers}
[ -d "$PEERS" ] || [ ! -d "$ROOT/../../shared/peers" ] || PEERS=$ROOT/../../shared/peers  # a git worktree one level deeper
OUT=${1:-$ROOT/bench/out/scaling-$(date +%Y%m%d-%H%M%S)}
SIZE=${SIZE:-1G}; RUNTIME=${RUNTIME:-5}; RAMP=${RAMP:-1}; RW=${RW:-randread}; BS=${BS:-4k}; MINIPORT=${MINIPORT:-mailbox}
SESSIONS_LIST=${SESSIONS_LIST:-1 4 16 64}; QD_LIST=${QD_LIST:-1 8 32 128}; TARGETS=${TARGETS:-vhba tgt}
. "$HERE/lib/common.sh"
bench_require
mkdir -p "$OUT"
VPID=; TPORT=
cleanup() {
  [ -n "$VPID" ] && kill "$VPID" 2>/dev/null && wait "$VPID" 2>/dev/null
  [ -n "$TPORT" ] && stop_tgt "$TPORT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

sweep() { # NAME URL
  local s q r
  echo "bench: $1 at $2, prefill" >&2
  prefill "$2" "$SIZE"
  for s in $SESSIONS_LIST; do
    for q in $QD_LIST; do
      r=$(fio_run "s$s-q$q" "$2" "$OUT/$1-s$s-q$q.json" "$s" $((RUNTIME + RAMP)) --rw="$RW" --bs="$BS" --iodepth="$q" \
          --time_based --runtime="$RUNTIME" --ramp_time="$RAMP")
      echo "  $1 sessions=$s qd=$q: $r" >&2
      printf '%s\t%s\t%s\t%s\n' "$1" "$s" "$q" "$(echo "$r" | tr ' ' '\t')" >> "$OUT/points.tsv"
    done
  done
}

echo "bench: $(date -Is) $RW $BS runtime=${RUNTIME}s miniport=$MINIPORT load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/header.txt" >&2
: > "$OUT/points.tsv"
for t in $TARGETS; do
  case $t in
    vhba)
      mkdir -p "$OUT/vhba"
      start_vhba "$OUT/vhba" --size "$SIZE" --miniport "$MINIPORT" ${VHBA_ARGS:-} || exit 1
      sweep vhba "$VURL"
      stop_vhba "$OUT/vhba" > "$OUT/vhba/counters.txt";;
    tgt)
      TPORT=$(free_port)
      start_tgt "$TPORT" "$SIZE" || exit 1
      sweep tgt "$TURL"
      stop_tgt "$TPORT"; TPORT=;;
  esac
done

python3 - "$OUT/points.tsv" "$RW $BS" <<'PY' | tee "$OUT/table.md"
import sys
pts = {}
for line in open(sys.argv[1]):
    f = line.rstrip('\n').split('\t')
    pts[(f[0], int(f[1]), int(f[2]))] = f[3:]
targets = sorted({k[0] for k in pts}, key=lambda x: (x != 'vhba', x))
keys = sorted({(k[1], k[2]) for k in pts})
def cell(t, s, q):
    r = pts.get((t, s, q))
    if not r or r[0] == 'FAILED':
        return 'FAILED', ''
    return f"{int(float(r[0])):,}", r[2]
print(f"{sys.argv[2]}: IOPS and mean latency (µs) per sessions x QD")
head = "| sessions | QD |" + "".join(f" {t} IOPS | {t} mean µs |" for t in targets)
if len(targets) == 2: head += " IOPS ratio |"
print(head)
print("|---:|---:|" + "---:|---:|" * len(targets) + ("---:|" if len(targets) == 2 else ""))
def iops(t, s, q):
    r = pts.get((t, s, q))
    try: return float(r[0])
    except (TypeError, ValueError, IndexError): return None
for s, q in keys:
    row = f"| {s} | {q} |" + "".join(" %s | %s |" % cell(t, s, q) for t in targets)
    if len(targets) == 2:
        a, b = iops(targets[0], s, q), iops(targets[1], s, q)
        row += f" {a/b:.2f}x |" if a and b else " |"
    print(row)
for t in targets:
    a, b = iops(t, 1, 32), iops(t, 16, 32)
    if a and b:
        print(f"{t}: 16 sessions / 1 session at QD 32 = {b/a:.2f}x")
PY
[ -f "$OUT/vhba/counters.txt" ] && cat "$OUT/vhba/counters.txt"
echo "bench: results in $OUT" >&2
