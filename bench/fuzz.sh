#!/usr/bin/env bash
# fuzz.sh — the wire fuzzers for as long as asked, against a target in-process or the real jar; one table.
#
# Usage: COUNT=10000000 SECONDS=3000 bench/fuzz.sh [OUTDIR]
#   COUNT [1000000]     PDUs sent to the target, in all, in three phases of two JVMs:
#                       1. plain mutators (MutationLoop) on the full-feature (60%) and login (20%) harnesses:
#                          no instrumentation, the volume;
#                       2. Jazzer on the same harnesses (8%, 4%): coverage-guided, the cov/ft numbers;
#                       3. the socket fuzzer (8%: recorded libiscsi/fio streams, PDUs mutated, loopback TCP),
#                          next to the decoder and text-codec fuzzers (CODEC_SECONDS each, no target)
#                       The full-feature harness logs in for real, then sends mutated PDUs; the login
#                       harness uses a fresh connection per input.
#   SECONDS [none]      wall-clock bound, shared out 55/20/25% over the phases (a phase ends at the first
#                       bound it reaches, PDUs or seconds)
#   TARGET [inproc]     inproc: the socket share hits an in-process target's TCP portal;
#                       jar: it hits emulator/target/vhba.jar (or VHBA_JAR) started by this script (packaged if missing)
#   PROBE_EVERY [10]    seconds between iscsi-inq probes of every live target's probe LUN
#   CODEC_SECONDS [30]  seconds each for the decoder and text-codec fuzzers (coverage only; no target)
#   LEAK_LEVEL [simple] Netty leak detection in the fuzzer JVMs (mvn verify runs them paranoid)
# The harnesses run in-process over Netty's in-VM channel (no system call per PDU) on the target's own
# simulated processors. Every connection ends with a check that the target holds no
# session, SRB or host page more than before; a hang (an answer missing for 30 s) or a leak is a finding.
# Prints one table; exits 1 on any crash, hang, leak, finding or failed probe.
requested_seconds=$SECONDS   # first: bash's SECONDS counts up from the value it inherits
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
OUT=${1:-$ROOT/bench/out/fuzz-$(date +%Y%m%d-%H%M%S)}
COUNT=${COUNT:-1000000}
TARGET=${TARGET:-inproc}
PROBE_EVERY=${PROBE_EVERY:-10}
CODEC_SECONDS=${CODEC_SECONDS:-30}
LEAK_LEVEL=${LEAK_LEVEL:-simple}
LIMIT=$(( requested_seconds > 0 ? requested_seconds : 86400 ))
SEEDS=$ROOT/emulator/src/test/resources/io/vhba/emulator/fuzz
PROBE_IQN=iqn.2026-11.io.vhba.fuzz:probe
case "$COUNT" in ''|*[!0-9]*) echo "error: COUNT must be a number of PDUs, got '$COUNT'" >&2; exit 2;; esac
case "$TARGET" in inproc|jar) ;; *) echo "error: TARGET must be inproc or jar, got '$TARGET'" >&2; exit 2;; esac
command -v iscsi-inq >/dev/null || { echo "error: iscsi-inq missing (apt-get install libiscsi-bin)" >&2; exit 2; }
mkdir -p "$OUT"/corpus/{full-feature,login,decoder,text} "$OUT"/crashes

echo "fuzz: building (test classes and their class path) ..." >&2
(cd "$ROOT" && mvn -B -q -pl emulator -am test-compile dependency:build-classpath -DskipTests -DskipFuzz \
    -Dmdep.outputFile="$OUT/cp.txt" -Dmdep.includeScope=test) > "$OUT/build.log" 2>&1 \
    || { echo "error: build failed, see $OUT/build.log" >&2; exit 2; }
CP=$ROOT/emulator/target/test-classes:$ROOT/emulator/target/classes:$ROOT/hardware-spi/target/classes:$ROOT/miniport-api/target/classes:$ROOT/sample-miniports/target/classes:$(cat "$OUT/cp.txt")
JVM=(java -Xmx1g -XX:+UseParallelGC -cp "$CP" -Dio.netty.leakDetection.level="$LEAK_LEVEL"
     -Dio.netty.customResourceLeakDetector=io.vhba.emulator.fuzz.LeakRecorder -Dlogback.configurationFile=$ROOT/emulator/src/test/resources/logback-fuzz.xml)

PIDS=()
JAR_PID=
PHASE=()
cleanup() { # the processes this script started, and their children (the JVMs run inside subshells)
  for p in "${PIDS[@]}" ${PHASE[@]+"${PHASE[@]}"} $JAR_PID; do pkill -TERM -P "$p" 2>/dev/null; kill "$p" 2>/dev/null; done
  wait 2>/dev/null
}
trap cleanup EXIT

SOCKET_TARGET=()
# In-process, every socket connection ends with the check that the target holds nothing more than before,
# which only holds while no other connection is open: one thread. Against the jar there is no such check.
SOCKET_THREADS=1
if [ "$TARGET" = jar ]; then
  SOCKET_THREADS=4
  JAR=${VHBA_JAR:-$ROOT/emulator/target/vhba.jar}
  [ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q package -DskipTests -DskipFuzz) >> "$OUT/build.log" 2>&1 \
      || { echo "error: packaging failed, see $OUT/build.log" >&2; exit 2; }
  cat > "$OUT/fuzz-target.yaml" <<YAML
targets:
  - iqn: iqn.2026-11.io.vhba.fuzz:target
    luns: [{lun: 0, size: 64M}, {lun: 1, size: 16M, blockSize: 4096}]
  - iqn: $PROBE_IQN
    luns: [{lun: 0, size: 16M}]
YAML
  JPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  java -jar "$JAR" serve --listen 127.0.0.1:$JPORT --processors 2 --config "$OUT/fuzz-target.yaml" \
      > "$OUT/jar.out" 2> "$OUT/jar.log" &
  JAR_PID=$!
  for _ in $(seq 150); do [ -s "$OUT/jar.out" ] && break; sleep 0.2; done
  [ -s "$OUT/jar.out" ] || { echo "error: the jar did not start, see $OUT/jar.log" >&2; exit 1; }
  echo "$JPORT" > "$OUT/jar.port"
  SOCKET_TARGET=("127.0.0.1:$JPORT")
  JAR_RSS_START=$(awk '/VmRSS/{print $2}' /proc/$JAR_PID/status)
fi

# --- probes: a real initiator must be answered throughout ------------------------------------
probe_loop() {
  while sleep "$PROBE_EVERY"; do
    for f in "$OUT"/*.port; do
      [ -s "$f" ] || continue
      port=$(cat "$f")
      if timeout 30 iscsi-inq "iscsi://127.0.0.1:$port/$PROBE_IQN/0" > /dev/null 2>&1; then
        echo "$(date +%s) $(basename "$f" .port) ok" >> "$OUT/probes.log"
      else
        # a fuzzer JVM that is ending takes its portal (and the file) with it: only a live one counts
        sleep 3
        [ -e "$f" ] && [ ! -e "$f.done" ] && echo "$(date +%s) $(basename "$f" .port) FAILED" >> "$OUT/probes.log"
      fi
    done
  done
}
probe_loop & PROBE_PID=$!
PIDS+=("$PROBE_PID")

# --- the fuzzers --------------------------------------------------------------------------
# Three phases of two JVMs each (the machine has 2 cores); each phase gets its share of COUNT and of SECONDS.
run() { # name command... (exit code to NAME.exit, portal file NAME.port marked done at the end)
  local name=$1; shift
  ( "$@" > "$OUT/$name.log" 2>&1; echo $? > "$OUT/$name.exit"; touch "$OUT/$name.port.done" ) &
  PHASE+=($!)
}
jazzer() { # name class corpus seed-dir max-pdus seconds
  local name=$1 class=$2 corpus=$3 seeds=$4 pdus=$5 secs=$6
  run "$name" "${JVM[@]}" -Dvhba.fuzz.maxPdus="$pdus" -Dvhba.fuzz.portalFile="$OUT/$name.port" \
      com.code_intelligence.jazzer.Jazzer --target_class="io.vhba.emulator.fuzz.$class" \
      --instrumentation_includes='io.vhba.**' --reproducer_path="$OUT/crashes" \
      -artifact_prefix="$OUT/crashes/$name-" -max_total_time="$secs" -rss_limit_mb=4096 -timeout=120 \
      -print_final_stats=1 "$OUT/corpus/$corpus" "$seeds"
}
mutator() { # name harness seed-dir max-pdus seconds
  local name=$1 harness=$2 seeds=$3 pdus=$4 secs=$5
  run "$name" "${JVM[@]}" -Dvhba.fuzz.portalFile="$OUT/$name.port" io.vhba.emulator.fuzz.MutationLoop \
      "$harness" "$pdus" "$secs" "$seeds" "$OUT/corpus/$harness" \
      "$ROOT/emulator/target/jazzer/.cifuzz-corpus/io.vhba.emulator.fuzz.$( [ "$harness" = login ] \
          && echo LoginFuzzTest/login || echo FullFeatureFuzzTest/fullFeature)"
}
wait_phase() { for p in "${PHASE[@]}"; do wait "$p"; done; PHASE=(); }
start=$(date +%s)
echo "fuzz: running (COUNT=$COUNT, bound ${LIMIT}s, TARGET=$TARGET); logs in $OUT" >&2
PHASE=()
mutator full-feature-mutator full-feature "$SEEDS/FullFeatureFuzzTestInputs/fullFeature" $((COUNT * 60 / 100)) $((LIMIT * 55 / 100))
mutator login-mutator login "$SEEDS/LoginFuzzTestInputs/login" $((COUNT * 20 / 100)) $((LIMIT * 55 / 100))
wait_phase
jazzer full-feature FullFeatureFuzzTest full-feature "$SEEDS/FullFeatureFuzzTestInputs/fullFeature" $((COUNT * 8 / 100)) $((LIMIT * 20 / 100 + 1))
jazzer login LoginFuzzTest login "$SEEDS/LoginFuzzTestInputs/login" $((COUNT * 4 / 100)) $((LIMIT * 20 / 100 + 1))
wait_phase
run socket "${JVM[@]}" -Dvhba.fuzz.portalFile="$OUT/socket.port" io.vhba.emulator.fuzz.SocketFuzzer \
    "$SEEDS/PduDecoderFuzzTestInputs/decode" $((COUNT * 8 / 100)) $((LIMIT * 25 / 100 + 1)) $SOCKET_THREADS ${SOCKET_TARGET[@]+"${SOCKET_TARGET[@]}"}
# the codec fuzzers, for their coverage (no target)
( PHASE=(); jazzer decoder PduDecoderFuzzTest decoder "$SEEDS/PduDecoderFuzzTestInputs/decode" 1000000000 "$CODEC_SECONDS"; wait_phase
  jazzer text TextCodecFuzzTest text "$SEEDS/TextCodecFuzzTestInputs/text" 1000000000 "$CODEC_SECONDS"; wait_phase ) &
PHASE+=($!)
wait_phase
elapsed=$(( $(date +%s) - start ))
kill "$PROBE_PID" 2>/dev/null
if [ -n "$JAR_PID" ]; then
  timeout 30 iscsi-inq "iscsi://127.0.0.1:$JPORT/$PROBE_IQN/0" > /dev/null 2>&1 \
      && echo "$(date +%s) jar-final ok" >> "$OUT/probes.log" || echo "$(date +%s) jar-final FAILED" >> "$OUT/probes.log"
  JAR_RSS_END=$(awk '/VmRSS/{print $2}' /proc/$JAR_PID/status 2>/dev/null)
  kill -0 "$JAR_PID" 2>/dev/null || echo "$(date +%s) jar-exited FAILED" >> "$OUT/probes.log"
fi

# --- the table ----------------------------------------------------------------------------
python3 - "$OUT" "$elapsed" "${JAR_RSS_START:-}" "${JAR_RSS_END:-}" <<'PY' | tee "$OUT/table.md"
import os, re, sys
out, elapsed = sys.argv[1], int(sys.argv[2])
rows, bad = [], 0
NAMES = ["full-feature-mutator", "login-mutator", "full-feature", "login", "socket", "decoder", "text"]
TO_TARGET = NAMES[:5]
for name in NAMES:
    try:
        log = open(os.path.join(out, name + ".log"), errors="replace").read()
    except OSError:
        continue
    stats = re.findall(r"VHBA-FUZZ \S+ (executions=.*)", log)
    kv = dict(re.findall(r"(\w+)=(\S+)", stats[-1])) if stats else {}
    cov = re.findall(r"cov: (\d+) ft: (\d+)", log)
    p = os.path.join(out, name + ".exit")
    code = open(p).read().strip() if os.path.exists(p) else "?"
    hangs = len(re.findall(r"hang:", log))
    held = len(re.findall(r"still holds", log))
    # a clean end: 0; or, after the harness's budget marker, the SIGINT it sent: libFuzzer exits 72 ("run
    # interrupted") when its own handler takes the signal, 77 ("fuzz target exited") when the JVM's shutdown wins
    budget = "VHBA-FUZZ budget spent" in log
    crash = 0 if code == "0" or (budget and code in ("72", "77")) else 1
    crash = max(0, max(crash, len(re.findall(r"== Java Exception|VHBA-FUZZ finding", log))) - hangs - held)
    leaks = int(kv.get("leaks", "0")) + held
    bad += crash + hangs + leaks
    rows.append((name, kv.get("pdus", "-"), kv.get("connections", "-"), kv.get("executions", "-"),
                 crash, hangs, leaks, ("%s / %s" % cov[-1]) if cov else "-"))
probes = open(os.path.join(out, "probes.log")).read().split("\n") if os.path.exists(os.path.join(out, "probes.log")) else []
ok = sum(1 for p in probes if p.endswith(" ok"))
failed = sum(1 for p in probes if p.endswith("FAILED"))
bad += failed + (1 if ok == 0 else 0)
print("| fuzzer | PDUs sent | connections | executions | crashes | hangs | leaked sessions/pages/buffers | Jazzer cov / ft |")
print("|---|---|---|---|---|---|---|---|")
total = 0
for r in rows:
    print("| %s | %s | %s | %s | %d | %d | %d | %s |" % r)
    if r[0] in TO_TARGET and r[1] != "-":
        total += int(r[1])
print()
print("PDUs sent to the target: %d in %d s (%.0f/s); iscsi-inq probes: %d answered, %d failed"
      % (total, elapsed, total / max(elapsed, 1), ok, failed))
if len(sys.argv) > 4 and sys.argv[4]:
    print("jar RSS: %s kB at start, %s kB at end" % (sys.argv[3], sys.argv[4]))
print("RESULT:", "PASS" if bad == 0 else "FAIL")
sys.exit(1 if bad else 0)
PY
