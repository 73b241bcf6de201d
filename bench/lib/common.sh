# bench/lib/common.sh — what the bench scripts share: start and stop vHBA and tgt, run one fio workload with N
# sessions, sample a process's peak RSS, read vHBA's shutdown counters. Sourced, not run.
# Needs: ROOT (the repository), PEERS (the peer scripts: start-tgt.sh, stop-tgt.sh, build-fio-iscsi.sh).

JAR=${JAR:-$ROOT/emulator/target/vhba.jar}

bench_require() {
  for s in start-tgt.sh stop-tgt.sh build-fio-iscsi.sh; do
    [ -x "$PEERS/$s" ] || { echo "error: $PEERS/$s not found (set PEERS)" >&2; exit 2; }
  done
  command -v tgtd >/dev/null || { echo "error: tgtd missing (apt-get install -y tgt)" >&2; exit 2; }
  if [ -z "${FIO:-}" ]; then
    if [ -x /tmp/fio-iscsi/bin/fio ] && /tmp/fio-iscsi/bin/fio --enghelp=libiscsi 2>/dev/null | grep -qw iscsi_cdb; then
      FIO=/tmp/fio-iscsi/bin/fio
    else
      FIO=$("$PEERS/build-fio-iscsi.sh") || { echo "error: cannot build fio" >&2; exit 2; }
    fi
  fi
  export FIO
  [ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q -pl emulator -am package -DskipTests) \
    || { echo "error: build failed" >&2; exit 2; }
}

# start_vhba OUTDIR ARGS... : starts `vhba.jar serve --listen 127.0.0.1:0 ARGS` in the background; sets VPID, VURL.
# The Storport verifier stays on (it is on by default and no bench argument turns it off).
start_vhba() {
  local out=$1; shift
  java ${VHBA_JAVA_OPTS:-} -jar "$JAR" serve --listen 127.0.0.1:0 "$@" > "$out/vhba.url" 2> "$out/vhba.log" &
  VPID=$!
  VURL=
  for _ in $(seq 150); do
    VURL=$(grep -m1 '^iscsi://' "$out/vhba.url" 2>/dev/null) && [ -n "$VURL" ] && break
    kill -0 "$VPID" 2>/dev/null || break
    sleep 0.2
  done
  [ -n "$VURL" ] || { echo "error: vHBA did not start:" >&2; cat "$out/vhba.log" >&2; return 1; }
}

# stop_vhba OUTDIR : (not in a pipe or subshell: it must wait for its own child) SIGTERM, wait, and print the adapter and controller counters of the shutdown summary.
stop_vhba() {
  local out=$1
  [ -n "${VPID:-}" ] || return 0
  kill "$VPID" 2>/dev/null; wait "$VPID" 2>/dev/null; VPID=
  vhba_counters "$out/vhba.log"
}

# vhba_counters LOG : one line with SRBs, StartIo calls, completions, interrupts and DPCs from the shutdown summary
# (proof that every I/O went through the miniport, its registers, an interrupt and a DPC).
vhba_counters() {
  local a c
  a=$(grep -m1 'SRBs submitted' "$1" | sed 's/.* - //')
  # mailbox: doorbells=; ring: sqDoorbells= (one per submission) and cqDoorbells= (one per completion batch)
  c=$(grep -m1 -i 'doorbells=' "$1" | sed 's/.*{\(.*\)}.*/\1/' | tr -d ' ' | tr ',' '\n' \
      | grep -E '^(doorbells|sqDoorbells|submissions|completions|cqDoorbells|interruptsSignalled)=' | paste -sd' ')
  echo "counters: ${a:-no adapter summary in the log} | controller: ${c:-none}"
}

# start_tgt PORT SIZE : sets TURL, TPID (tgt's LUN 1 is the disk).
start_tgt() {
  # tgtd's control port (-C, its admin socket number) must be small; derive one from the port so that two benches
  # on one machine do not collide.
  TURL=$(CTRL_PORT=${CTRL_PORT:-$(( 100 + $1 % 900 ))} "$PEERS/start-tgt.sh" "$1" iqn.2026-11.test:tgt "$2" 2>/dev/null | tail -1)
  TPID=$(cat "/tmp/peer-tgt-$1/tgtd.pid" 2>/dev/null)
  [ -n "$TURL" ] && [ -n "$TPID" ] || { echo "error: tgt did not start on port $1" >&2; return 1; }
}

stop_tgt() { "$PEERS/stop-tgt.sh" "$1" >/dev/null 2>&1; }

# free_port : a port the OS says is free now (tgt needs a fixed one).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# rss_sampler_start PID FILE : samples VmRSS (KiB) of PID every 0.2 s into FILE until rss_sampler_stop.
rss_sampler_start() {
  ( while kill -0 "$1" 2>/dev/null; do awk '/^VmRSS/{print $2}' "/proc/$1/status" 2>/dev/null; sleep 0.2; done ) > "$2" &
  SAMPLER=$!
}
# rss_sampler_stop FILE : stops the sampler and prints the peak in MiB.
rss_sampler_stop() {
  kill "$SAMPLER" 2>/dev/null; wait "$SAMPLER" 2>/dev/null
  sort -n "$1" | tail -1 | awk '{printf "%.0f", $1/1024}'
}
rss_mib() { awk '/^VmRSS/{printf "%.0f", $2/1024}' "/proc/$1/status"; }

# fio_run NAME URL OUTJSON SESSIONS SECONDS FIO-ARGS... : one fio process, SESSIONS jobs (one iSCSI session each),
# killed at its deadline; prints "iops MBps mean_us p99_us fio_cpu" (or FAILED).
fio_run() {
  local name=$1 url=$2 json=$3 sessions=$4 secs=$5; shift 5
  local fname=${url//:/\\:}
  setsid timeout -s KILL $((secs + 60)) "$FIO" --name="$name" --ioengine=libiscsi "--filename=$fname" --direct=1 --thread \
    --randrepeat=0 --norandommap --numjobs="$sessions" --group_reporting --lat_percentiles=1 \
    --percentile_list=50:99 --output-format=json --output="$json" "$@" > /dev/null 2> "$json.err" < /dev/null
  local rc=$?
  if [ $rc -ne 0 ] || [ ! -s "$json" ]; then echo "FAILED"; return 1; fi
  python3 - "$json" <<'PY'
import json, sys
t = open(sys.argv[1]).read(); t = t[t.index('{'):]
j = json.loads(t)['jobs'][0]
d = j['read'] if j['read']['total_ios'] else j['write']
p99 = d['lat_ns'].get('percentile', {}).get('99.000000', 0) / 1e3
print(f"{d['iops']:.0f} {d['bw_bytes']/1e6:.1f} {d['lat_ns']['mean']/1e3:.1f} {p99:.1f} {j['usr_cpu']+j['sys_cpu']:.0f}")
PY
}

# prefill URL SIZE : sequential 128 KiB QD8 write of the region, so reads never hit unwritten blocks.
prefill() {
  local fname=${1//:/\\:}
  setsid timeout -s KILL "${PREFILL_TIMEOUT:-300}" "$FIO" --name=prefill --ioengine=libiscsi "--filename=$fname" \
    --direct=1 --thread --rw=write --bs=128k --iodepth=8 --size="$2" > /dev/null 2>&1 < /dev/null
}

# workload_args NAME : the fio arguments of a named workload.
workload_args() {
  case $1 in
    randread-4k-qd1)   echo "--rw=randread --bs=4k --iodepth=1";;
    randread-4k-qd32)  echo "--rw=randread --bs=4k --iodepth=32";;
    randwrite-4k-qd32) echo "--rw=randwrite --bs=4k --iodepth=32";;
    seqread-128k-qd8)  echo "--rw=read --bs=128k --iodepth=8";;
    seqwrite-128k-qd8) echo "--rw=write --bs=128k --iodepth=8";;
    *) return 1;;
  esac
}
