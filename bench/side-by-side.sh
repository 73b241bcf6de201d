#!/usr/bin/env bash
# side-by-side.sh — vHBA and tgt on the same machine, the same fio workloads, one table.
#
# Usage: bench/side-by-side.sh [OUTDIR]
#   Env: PEERS [../shared/peers]   directory with start-tgt.sh, stop-tgt.sh, build-fio-iscsi.sh
#        RUNTIME [20] RAMP [2]      seconds per workload
#        WORKLOADS [all five]       randread-4k-qd1 randread-4k-qd32 randwrite-4k-qd32 seqread-128k-qd8 seqwrite-128k-qd8
#        MINIPORT [mailbox]         the miniport vHBA loads (serve --miniport)
#        SESSIONS [1]               iSCSI sessions per workload (fio jobs, each its own session; QD is per session)
#        VHBA_ARGS []               extra flags for `vhba.jar serve` (e.g. "--controller threaded")
#        VHBA_JAVA_OPTS []          JVM options for vHBA (e.g. -Xmx2g)
#        SIZE [1G]                  LUN size for both targets
# Starts vHBA (port picked by the OS) and tgt (RAM backed, /dev/shm), prefills each LUN, runs the workloads against
# each in turn (never both at once) and prints one table with both rows, the vHBA/tgt ratio, and the peak resident
# memory of each target during each workload (VmRSS sampled from /proc every 0.2 s). vHBA's Storport verifier stays
# on; its shutdown counters (SRBs, StartIo calls, interrupts, DPCs) are printed to prove every I/O went through the
# miniport, its registers, an interrupt and a DPC. A benchmark, not a test: it asserts nothing.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
PEERS=${PEERS:-$ROOT/../shared/peers}
[ -d "$PEERS" ] || [ ! -d "$ROOT/../../shared/peers" ] || PEERS=$ROOT/../../shared/peers  # a git worktree one level deeper
OUT=${1:-$ROOT/bench/out/side-by-side-$(date +%Y%m%d-%H%M%S)}
SIZE=${SIZE:-1G}; RUNTIME=${RUNTIME:-20}; RAMP=${RAMP:-2}; SESSIONS=${SESSIONS:-1}; MINIPORT=${MINIPORT:-mailbox}
WORKLOADS=${WORKLOADS:-randread-4k-qd1 randread-4k-qd32 randwrite-4k-qd32 seqread-128k-qd8 seqwrite-128k-qd8}
. "$HERE/lib/common.sh"
bench_require
mkdir -p "$OUT/vhba" "$OUT/tgt"
VPID=; TPORT=
cleanup() {
  [ -n "${SAMPLER:-}" ] && kill "$SAMPLER" 2>/dev/null
  [ -n "$VPID" ] && kill "$VPID" 2>/dev/null && wait "$VPID" 2>/dev/null
  [ -n "$TPORT" ] && stop_tgt "$TPORT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# run_all NAME URL PID : every workload against one target; rows into OUT/NAME/summary.tsv
run_all() {
  local name=$1 url=$2 pid=$3 w r peak
  echo "bench: $name at $url (pid $pid), prefill" >&2
  prefill "$url" "$SIZE"
  printf 'workload\tiops\tMBps\tlat_mean_us\tlat_p99_us\tfio_cpu\tpeak_rss_mib\n' > "$OUT/$name/summary.tsv"
  for w in $WORKLOADS; do
    rss_sampler_start "$pid" "$OUT/$name/$w.rss"
    # shellcheck disable=SC2046
    r=$(fio_run "$w" "$url" "$OUT/$name/$w.json" "$SESSIONS" $((RUNTIME + RAMP)) $(workload_args "$w") \
        --time_based --runtime="$RUNTIME" --ramp_time="$RAMP")
    peak=$(rss_sampler_stop "$OUT/$name/$w.rss")
    echo "  $name: $w $r rss=${peak}MiB" >&2
    printf '%s\t%s\t%s\n' "$w" "$(echo "$r" | tr ' ' '\t')" "$peak" >> "$OUT/$name/summary.tsv"
  done
}

echo "bench: $(date -Is) runtime=${RUNTIME}s sessions=$SESSIONS miniport=$MINIPORT size=$SIZE load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/header.txt" >&2
start_vhba "$OUT/vhba" --size "$SIZE" --miniport "$MINIPORT" ${VHBA_ARGS:-} || exit 1
run_all vhba "$VURL" "$VPID"
stop_vhba "$OUT/vhba" > "$OUT/vhba/counters.txt"
cat "$OUT/vhba/counters.txt" >&2

TPORT=$(free_port)
start_tgt "$TPORT" "$SIZE" || exit 1
run_all tgt "$TURL" "$TPID"
stop_tgt "$TPORT"; TPORT=

python3 - "$OUT/vhba/summary.tsv" "$OUT/tgt/summary.tsv" "$SESSIONS" "$MINIPORT" <<'PY' | tee "$OUT/table.md"
import sys
def load(p):
    rows = {}
    for line in open(p):
        f = line.rstrip('\n').split('\t')
        if f[0] != 'workload':
            rows[f[0]] = f
    return rows
v, t = load(sys.argv[1]), load(sys.argv[2])
def num(x):
    try: return float(x)
    except (TypeError, ValueError): return None
print(f"sessions={sys.argv[3]} miniport={sys.argv[4]}")
print("| workload | target | IOPS | MB/s | mean µs | p99 µs | fio CPU % | peak RSS MiB |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
order = ["randread-4k-qd1", "randread-4k-qd32", "randwrite-4k-qd32", "seqread-128k-qd8", "seqwrite-128k-qd8"]
for w in [o for o in order if o in v or o in t]:
    for name, rows in (("vHBA", v), ("tgt", t)):
        r = rows.get(w)
        if r is None or r[1] == "FAILED":
            print(f"| {w} | {name} | FAILED | | | | | {r[-1] if r else ''} |")
        else:
            print(f"| {w} | {name} | {int(float(r[1])):,} | {r[2]} | {r[3]} | {r[4]} | {r[5]} | {r[6]} |")
    a, b = v.get(w), t.get(w)
    if a and b and num(a[1]) and num(b[1]):
        if w.endswith("qd1"):
            print(f"| {w} | **vHBA/tgt** | {num(a[1])/num(b[1]):.2f}x | | **{num(a[3])/num(b[3]):.2f}x latency** | | | |")
        else:
            print(f"| {w} | **vHBA/tgt** | **{num(a[1])/num(b[1]):.2f}x** | | | | | |")
PY
cat "$OUT/vhba/counters.txt"
echo "bench: results in $OUT" >&2
