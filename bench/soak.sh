#!/usr/bin/env bash
# soak.sh — an hour of mixed load on the real jar; RSS and thread count must stay flat.
#
# Usage: DURATION=3600 bench/soak.sh [OUTDIR]
#   DURATION [3600]        seconds of load
#   WARMUP [min(300, DURATION/5)]  seconds before the reference sample (host memory and JIT settle)
#   SAMPLE_EVERY [60]      seconds between samples of VmRSS and Threads (/proc/PID/status)
#   RSS_TOLERANCE_MB [64]  allowed RSS growth from the reference sample to the end
#   THREAD_TOLERANCE [4]   allowed thread count growth
#   VHBA_FIO [/tmp/fio-iscsi/bin/fio]  fio with the libiscsi engine (.ci/build-fio-iscsi.sh builds one)
#   VHBA_JAR [emulator/target/vhba.jar]  the jar to soak (packaged if missing)
#   JAVA_OPTS [-Xms1g -Xmx1g -XX:+AlwaysPreTouch]  the target JVM's options. A fixed, pre-touched heap
#                          keeps the garbage collector's sizing out of RSS (left alone, G1 grows the heap
#                          towards a quarter of RAM under this load), so RSS growth means native or direct
#                          memory held; the live heap after a full GC is reported and checked too.
# Load, all at once against `vhba.jar serve` on a loopback port:
#   - fio verify (crc32c) at QD32 on two sessions (two jobs, each its own half of the 512 MiB LUN 0,
#     written once before the load starts),
#   - a login/logout loop: iscsi-inq, one session after another, on LUN 0,
#   - an abort/reset loop (bench/tmf-storm.py): READs, ABORT TASK, LOGICAL UNIT RESET on LUN 1
#     (a reset aborts every task of its LU, so it gets an LU of its own and fio's data stays verifiable).
# Prints the samples, then RSS and threads after warm-up and at the end; exits 1 when either grew
# beyond its tolerance, fio reported an error, a loop failed or the target died.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
OUT=${1:-$ROOT/bench/out/soak-$(date +%Y%m%d-%H%M%S)}
DURATION=${DURATION:-3600}
WARMUP=${WARMUP:-$(( DURATION / 5 < 300 ? DURATION / 5 : 300 ))}
SAMPLE_EVERY=${SAMPLE_EVERY:-60}
RSS_TOLERANCE_MB=${RSS_TOLERANCE_MB:-64}
THREAD_TOLERANCE=${THREAD_TOLERANCE:-4}
FIO=${VHBA_FIO:-/tmp/fio-iscsi/bin/fio}
IQN=iqn.2026-11.io.vhba:disk0
for v in DURATION WARMUP SAMPLE_EVERY RSS_TOLERANCE_MB THREAD_TOLERANCE; do
  case "${!v}" in ''|*[!0-9]*) echo "error: $v must be a whole number, got '${!v}'" >&2; exit 2;; esac
done
[ "$DURATION" -ge 60 ] || { echo "error: DURATION must be at least 60 seconds" >&2; exit 2; }
[ -x "$FIO" ] || { echo "error: $FIO not found (build it with .ci/build-fio-iscsi.sh, or set VHBA_FIO)" >&2; exit 2; }
command -v iscsi-inq >/dev/null || { echo "error: iscsi-inq missing (apt-get install libiscsi-bin)" >&2; exit 2; }
mkdir -p "$OUT"
JAR=${VHBA_JAR:-$ROOT/emulator/target/vhba.jar}
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q package -DskipTests -DskipFuzz) > "$OUT/build.log" 2>&1 \
    || { echo "error: build failed, see $OUT/build.log" >&2; exit 2; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
JAVA_OPTS=${JAVA_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch}
# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$JAR" serve --listen 127.0.0.1:$PORT --size 512M --lun 1,size=64M --processors 2 \
    > "$OUT/vhba.url" 2> "$OUT/vhba.log" &
VPID=$!
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  kill "$VPID" 2>/dev/null
  wait 2>/dev/null
}
trap cleanup EXIT
for _ in $(seq 150); do [ -s "$OUT/vhba.url" ] && break; sleep 0.2; done
[ -s "$OUT/vhba.url" ] || { echo "error: vHBA did not start, see $OUT/vhba.log" >&2; exit 1; }
URL="iscsi://127.0.0.1:$PORT/$IQN/0"
echo "soak: vHBA pid $VPID at $URL for ${DURATION}s (warm-up ${WARMUP}s); output in $OUT" >&2

FNAME="iscsi\\://127.0.0.1\\:$PORT/${IQN//:/\\:}/0"
# Fill both halves once: the RAM disk stores only written blocks, so until every block of fio's range was
# written its data would grow the heap and hide (or fake) a leak.
"$FIO" --ioengine=libiscsi --thread --direct=1 --filename="$FNAME" --rw=write --bs=1m --iodepth=8 --size=512m \
    --name=prefill --output="$OUT/prefill.txt" > /dev/null 2>&1 || { echo "error: the fio prefill failed" >&2; exit 1; }
end=$(( $(date +%s) + DURATION ))
"$FIO" --ioengine=libiscsi --thread --direct=1 --filename="$FNAME" --rw=randwrite --bs=4k --iodepth=32 \
    --verify=crc32c --verify_backlog=4096 --verify_fatal=1 --time_based --runtime="$DURATION" --size=256m \
    --name=session-a --offset=0 --name=session-b --offset=256m \
    --output="$OUT/fio.txt" > "$OUT/fio.out" 2>&1 &
FIO_PID=$!
PIDS+=("$FIO_PID")
( ok=0; failed=0
  while [ "$(date +%s)" -lt "$end" ]; do
    if timeout 30 iscsi-inq "$URL" > /dev/null 2>&1; then ok=$((ok + 1)); else failed=$((failed + 1)); fi
    sleep 0.2
  done
  echo "login-loop: logins=$ok failed=$failed" > "$OUT/login-loop.txt"
  [ "$failed" -eq 0 ] ) &
LOGIN_PID=$!
PIDS+=("$LOGIN_PID")
python3 "$HERE/tmf-storm.py" 127.0.0.1 "$PORT" "$IQN" 1 "$DURATION" > "$OUT/tmf-storm.txt" 2>&1 &
TMF_PID=$!
PIDS+=("$TMF_PID")

live_heap_kb() { # the heap still used after a full collection
  jcmd "$VPID" GC.run > /dev/null 2>&1
  jcmd "$VPID" GC.heap_info 2>/dev/null | awk '/used/{for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i + 1); sub(/K.*/, "", v); print v; exit}}'
}
sample() { # elapsed rss_kb threads
  printf '%6d s  RSS %7d kB  threads %4d\n' "$1" "$(awk '/VmRSS/{print $2}' /proc/$VPID/status)" \
      "$(awk '/Threads/{print $2}' /proc/$VPID/status)"
}
start=$(date +%s)
: > "$OUT/samples.txt"
ref_rss= ref_threads= ref_at=
while kill -0 "$VPID" 2>/dev/null && [ "$(date +%s)" -lt "$end" ]; do
  now=$(( $(date +%s) - start ))
  sample "$now" | tee -a "$OUT/samples.txt" >&2
  if [ -z "$ref_rss" ] && [ "$now" -ge "$WARMUP" ]; then
    ref_rss=$(awk '/VmRSS/{print $2}' /proc/$VPID/status); ref_threads=$(awk '/Threads/{print $2}' /proc/$VPID/status); ref_at=$now
    ref_heap=$(live_heap_kb)
  fi
  left=$(( end - $(date +%s) ))
  sleep $(( left < SAMPLE_EVERY ? (left > 0 ? left : 1) : SAMPLE_EVERY ))
done
status=0
wait "$FIO_PID" || { echo "soak: fio failed (see $OUT/fio.txt, $OUT/fio.out)" >&2; status=1; }
wait "$LOGIN_PID" || { echo "soak: the login/logout loop had failures" >&2; status=1; }
wait "$TMF_PID" || { echo "soak: the abort/reset loop failed: $(tail -1 "$OUT/tmf-storm.txt")" >&2; status=1; }
PIDS=()
kill -0 "$VPID" 2>/dev/null || { echo "soak: the target died (see $OUT/vhba.log)" >&2; exit 1; }
end_rss=$(awk '/VmRSS/{print $2}' /proc/$VPID/status); end_threads=$(awk '/Threads/{print $2}' /proc/$VPID/status)
end_heap=$(live_heap_kb)
sample "$(( $(date +%s) - start ))" | tee -a "$OUT/samples.txt" >&2
[ -n "$ref_rss" ] || { ref_rss=$end_rss; ref_threads=$end_threads; ref_heap=$end_heap; ref_at=end; }
heap_growth=$(( (${end_heap:-0} - ${ref_heap:-0}) / 1024 ))
rss_growth=$(( (end_rss - ref_rss) / 1024 ))
thread_growth=$(( end_threads - ref_threads ))
{
  echo "| | after warm-up (${ref_at} s) | end | growth | tolerance |"
  echo "|---|---|---|---|---|"
  echo "| RSS | $((ref_rss / 1024)) MiB | $((end_rss / 1024)) MiB | $rss_growth MiB | $RSS_TOLERANCE_MB MiB |"
  echo "| threads | $ref_threads | $end_threads | $thread_growth | $THREAD_TOLERANCE |"
  echo "| live heap after a full GC | $((${ref_heap:-0} / 1024)) MiB | $((${end_heap:-0} / 1024)) MiB | $heap_growth MiB | $RSS_TOLERANCE_MB MiB |"
  echo
  grep -h "err=\|WRITE:\|READ:" "$OUT/fio.txt" 2>/dev/null | sed 's/^ */fio: /'
  cat "$OUT/login-loop.txt" "$OUT/tmf-storm.txt" 2>/dev/null
} | tee "$OUT/table.md"
[ "$rss_growth" -le "$RSS_TOLERANCE_MB" ] || { echo "soak: RSS grew by $rss_growth MiB" >&2; status=1; }
[ "$thread_growth" -le "$THREAD_TOLERANCE" ] || { echo "soak: threads grew by $thread_growth" >&2; status=1; }
[ "$heap_growth" -le "$RSS_TOLERANCE_MB" ] || { echo "soak: the live heap grew by $heap_growth MiB" >&2; status=1; }
echo "RESULT: $([ $status -eq 0 ] && echo PASS || echo FAIL)"
exit $status
