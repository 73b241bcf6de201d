#!/usr/bin/env bash
# metrics-overhead.sh — what recording the data-path metrics costs: randread 4k QD32 (the peers' load.sh)
# against vHBA with metrics on and with `serve --no-metrics`, alternating, ROUNDS times each.
#
# Usage: bench/metrics-overhead.sh [OUTDIR]
#   Env: PEERS [../shared/peers]  directory with load.sh and build-fio-iscsi.sh
#        ROUNDS [3]  RUNTIME [20]  RAMP [2]  LUN [1G] (the LUN)  SIZE [512m] (the region fio reads, prefilled)
#        WORKLOAD [randread-4k-qd32]  VHBA_ARGS [] extra `serve` flags for both variants
# Each run starts a fresh target on 127.0.0.1 with a port the OS picks (the URL comes from its stdout).
# Prints each run's IOPS and target CPU per I/O (µs of the target's CPU time per command), the mean of each
# variant and the overhead (off - on) / off. A benchmark, not a test: it asserts nothing. On a shared or loaded
# machine (host busy near 100%) IOPS say little; CPU per I/O is less sensitive, and the spread between runs
# says how far to trust either.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
PEERS=${PEERS:-$ROOT/../shared/peers}
OUT=${1:-$ROOT/bench/out/metrics-$(date +%Y%m%d-%H%M%S)}
ROUNDS=${ROUNDS:-3}
WORKLOAD=${WORKLOAD:-randread-4k-qd32}
mkdir -p "$OUT"
for s in load.sh build-fio-iscsi.sh; do
  [ -x "$PEERS/$s" ] || { echo "error: $PEERS/$s not found (set PEERS)" >&2; exit 2; }
done
FIO=$("$PEERS/build-fio-iscsi.sh") || { echo "error: cannot build fio" >&2; exit 2; }
export FIO
JAR=$ROOT/emulator/target/vhba.jar
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q -pl emulator -am package -DskipTests) || { echo "error: build failed" >&2; exit 2; }

VPID=
cleanup() { [ -n "$VPID" ] && kill "$VPID" 2>/dev/null && wait "$VPID" 2>/dev/null; }
trap cleanup EXIT

run() {   # NAME FLAGS...
  local name=$1; shift
  java -jar "$JAR" serve --listen 127.0.0.1:0 --size "${LUN:-1G}" "$@" ${VHBA_ARGS:-} > "$OUT/$name.url" 2> "$OUT/$name.log" &
  VPID=$!
  for _ in $(seq 150); do [ -s "$OUT/$name.url" ] && break; sleep 0.2; done
  local url; url=$(head -1 "$OUT/$name.url")
  [ -n "$url" ] || { echo "error: vHBA did not start:" >&2; cat "$OUT/$name.log" >&2; exit 1; }
  SIZE=${SIZE:-512m} WORKLOADS=$WORKLOAD TARGET_PID=$VPID "$PEERS/load.sh" "$url" "$OUT/$name" | sed "s/^/  $name: /" >&2
  kill "$VPID"; wait "$VPID" 2>/dev/null; VPID=
}

for r in $(seq "$ROUNDS"); do
  # Alternate which variant goes first, so a drift in the machine's load does not favour one.
  if [ $((r % 2)) -eq 1 ]; then run "on-$r"; run "off-$r" --no-metrics
  else run "off-$r" --no-metrics; run "on-$r"; fi
done

python3 - "$OUT" "$ROUNDS" "$WORKLOAD" <<'PY' | tee "$OUT/table.md"
import sys, os, statistics
out, rounds, w = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def iops(name):
    p = os.path.join(out, name, "summary.tsv")
    for line in open(p) if os.path.exists(p) else []:
        f = line.rstrip("\n").split("\t")
        if f[0] == w and f[1] not in ("", "FAILED"):
            return float(f[1]), f[5], f[7]
    return None, "", ""
print(f"| {w} | metrics on: IOPS, target CPU µs/IO, host busy | metrics off: IOPS, target CPU µs/IO, host busy |")
print("|---|---|---|")
def cpu_us(x):   # target CPU (% of one core) over IOPS: microseconds of target CPU per I/O
    return float(x[1]) / 100 / x[0] * 1e6
on, off = [], []
cpu_on, cpu_off = [], []
for r in range(1, rounds + 1):
    a, b = iops(f"on-{r}"), iops(f"off-{r}")
    if a[0]: on.append(a[0])
    if b[0]: off.append(b[0])
    if a[0] and a[1]: cpu_on.append(cpu_us(a))
    if b[0] and b[1]: cpu_off.append(cpu_us(b))
    fmt = lambda x: (f"{x[0]:.0f}, {cpu_us(x):.1f}, {x[2]}%" if x[1] else f"{x[0]:.0f}, -, {x[2]}%") if x[0] else "failed"
    print(f"| run {r} | {fmt(a)} | {fmt(b)} |")
if on and off:
    m_on, m_off = statistics.mean(on), statistics.mean(off)
    c_on = f", {statistics.mean(cpu_on):.1f}" if cpu_on else ""
    c_off = f", {statistics.mean(cpu_off):.1f}" if cpu_off else ""
    print(f"| mean | {m_on:.0f}{c_on} | {m_off:.0f}{c_off} |")
    print(f"\noverhead (off - on) / off: {100 * (m_off - m_on) / m_off:.1f}% "
          f"(spread: on {min(on):.0f}..{max(on):.0f}, off {min(off):.0f}..{max(off):.0f})")
    if cpu_on and cpu_off:
        print(f"target CPU per I/O, on vs off: {statistics.mean(cpu_on):.1f} vs {statistics.mean(cpu_off):.1f} µs "
              f"({100 * (statistics.mean(cpu_on) - statistics.mean(cpu_off)) / statistics.mean(cpu_off):+.1f}%)")
PY
