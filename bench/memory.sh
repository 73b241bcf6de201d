#!/usr/bin/env bash
# memory.sh — resident memory of vHBA against the bound of issue 11, item 3.
#
# Usage: bench/memory.sh [OUTDIR]
#   Env: SIZE [1G]  SESSIONS [16]  DURATION [30] (seconds of reading)  QD [32]  MINIPORT [mailbox]
#        VHBA_ARGS []  VHBA_JAVA_OPTS []  FIO [auto]
# Starts `serve --size SIZE`, measures RSS idle, writes the whole LUN once (128 KiB, QD 8), measures RSS, then
# SESSIONS fio sessions read it (4 KiB random, QD per session) for DURATION s, and measures RSS again (and the peak
# during the read, sampled every 0.2 s). Bounds: idle <= 128 MiB; after the read <= 1.25 x SIZE + 64 MiB per
# session (1.25 GiB + 64 MiB x 16 for the default 1 GiB and 16 sessions). Exit status 1 when a bound is exceeded,
# 2 when the run itself failed. The verifier stays on; the shutdown counters are printed.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
PEERS=${PEERS:-$ROOT/../shared/peers}
[ -d "$PEERS" ] || [ ! -d "$ROOT/../../shared/peers" ] || PEERS=$ROOT/../../shared/peers  # a git worktree one level deeper
OUT=${1:-$ROOT/bench/out/memory-$(date +%Y%m%d-%H%M%S)}
SIZE=${SIZE:-1G}; SESSIONS=${SESSIONS:-16}; DURATION=${DURATION:-30}; QD=${QD:-32}; MINIPORT=${MINIPORT:-mailbox}
. "$HERE/lib/common.sh"
JAR=${JAR:-$ROOT/emulator/target/vhba.jar}
if [ -z "${FIO:-}" ]; then
  if [ -x /tmp/fio-iscsi/bin/fio ]; then FIO=/tmp/fio-iscsi/bin/fio
  else FIO=$("$PEERS/build-fio-iscsi.sh") || { echo "error: cannot build fio" >&2; exit 2; }; fi
fi
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q -pl emulator -am package -DskipTests) || { echo "error: build failed" >&2; exit 2; }
mkdir -p "$OUT"
VPID=
trap '[ -n "${SAMPLER:-}" ] && kill "$SAMPLER" 2>/dev/null; [ -n "$VPID" ] && kill "$VPID" 2>/dev/null && wait "$VPID" 2>/dev/null' EXIT
trap 'exit 130' INT TERM
SIZE_MIB=$(python3 -c "
import sys; s=sys.argv[1].upper(); m={'K':1/1024,'M':1,'G':1024,'T':1024**2}
print(int(float(s[:-1])*m[s[-1]]) if s[-1] in m else int(int(s)/2**20))" "$SIZE")

echo "memory: $(date -Is) size=$SIZE sessions=$SESSIONS qd=$QD duration=${DURATION}s miniport=$MINIPORT load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/header.txt"
start_vhba "$OUT" --size "$SIZE" --miniport "$MINIPORT" ${VHBA_ARGS:-} || exit 2
sleep 3
IDLE=$(rss_mib "$VPID")
echo "memory: idle ${IDLE} MiB; writing the whole LUN" >&2
prefill "$VURL" "$SIZE" || { echo "error: the write failed" >&2; exit 2; }
sleep 2
WRITTEN=$(rss_mib "$VPID")
echo "memory: after the write ${WRITTEN} MiB; $SESSIONS sessions read for ${DURATION}s" >&2
rss_sampler_start "$VPID" "$OUT/read.rss"
R=$(fio_run read "$VURL" "$OUT/read.json" "$SESSIONS" "$DURATION" --rw=randread --bs=4k --iodepth="$QD" \
    --time_based --runtime="$DURATION")
PEAK=$(rss_sampler_stop "$OUT/read.rss")
READ=$(rss_mib "$VPID")
[ "$R" = FAILED ] && { echo "error: the read failed: $(head -c 300 "$OUT/read.json.err")" >&2; exit 2; }
stop_vhba "$OUT" > "$OUT/counters.txt"
BOUND=$(( SIZE_MIB * 5 / 4 + 64 * SESSIONS ))
python3 - "$IDLE" "$WRITTEN" "$READ" "$PEAK" "$BOUND" "$SESSIONS" "$R" <<'PY' | tee "$OUT/table.md"
import sys
idle, written, read, peak, bound, sessions = map(int, sys.argv[1:7])
iops = sys.argv[7].split()[0]
print("| phase | RSS MiB | bound MiB | holds |")
print("|---|---:|---:|---|")
print(f"| idle | {idle} | 128 | {'yes' if idle <= 128 else 'NO'} |")
print(f"| after writing the whole LUN | {written} | | |")
print(f"| after {sessions} sessions read (IOPS {int(float(iops)):,}) | {read} | {bound} | {'yes' if read <= bound else 'NO'} |")
print(f"| peak during the read | {peak} | | |")
PY
cat "$OUT/counters.txt"
if [ "$IDLE" -gt 128 ] || [ "$READ" -gt "$BOUND" ]; then
  echo "memory: BOUND EXCEEDED" >&2; exit 1
fi
echo "memory: bounds hold ($OUT)" >&2
