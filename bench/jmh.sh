#!/usr/bin/env bash
# jmh.sh — builds the JMH benchmarks (bench/jmh, Maven profile -Pjmh) and prints ns/op and bytes allocated per op.
#
# Usage: bench/jmh.sh [OUTDIR]
#   Env: JMH_ARGS [] extra JMH options, e.g. "-wi 1 -i 2" for a quick look, or a benchmark regex like "Codec"
#        NOBUILD [] set to 1 to reuse bench/jmh/target/vhba-jmh.jar
# Benchmarks: PduCodecBenchmark (SCSI Command decode+encode, Data-In encode+decode), CdbTableBenchmark and
# CommandTableBenchmark (the CDB parse of the target core and of the disk), SrbRoundTripBenchmark (one SRB through the
# Storport engine with the verifier on, over a null controller whose miniport completes in StartIo). The allocation
# column is JMH's gc profiler (gc.alloc.rate.norm). A benchmark, not a test: it asserts nothing.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
OUT=${1:-$ROOT/bench/out/jmh-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
JAR=$ROOT/bench/jmh/target/vhba-jmh.jar
if [ "${NOBUILD:-}" != 1 ] || [ ! -f "$JAR" ]; then
  (cd "$ROOT" && mvn -B -q -Pjmh -pl bench/jmh -am package -DskipTests -Dmaven.test.skip=true) \
    || { echo "error: build failed" >&2; exit 2; }
fi
echo "jmh: $(date -Is) load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/header.txt" >&2
# shellcheck disable=SC2086
java -jar "$JAR" -prof gc -rf json -rff "$OUT/result.json" ${JMH_ARGS:-} 2>&1 | tee "$OUT/jmh.log" \
  | grep -E '^\[null0\]|^# Run complete|^Benchmark ' >&2 || true
python3 - "$OUT/result.json" <<'PY' | tee "$OUT/table.md"
import json, sys
rows = json.load(open(sys.argv[1]))
print("| benchmark | ns/op | ± | bytes allocated/op |")
print("|---|---:|---:|---:|")
for r in rows:
    name = r["benchmark"].rsplit(".", 2)
    name = name[-2] + "." + name[-1]
    m = r["primaryMetric"]
    alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
    print(f"| {name} | {m['score']:.1f} | {float(m['scoreError']) if m['scoreError'] != 'NaN' else 0:.1f} | {'' if alloc is None else f'{alloc:.0f}'} |")
PY
grep -h '^\[null0\]' "$OUT/jmh.log" | tail -1
echo "jmh: results in $OUT" >&2
