#!/bin/sh
# Container entry point: maps VHBA_* environment variables to `vhba serve` flags, appends the
# container's arguments, and execs the JVM (PID 1 then is java: SIGTERM from `docker stop`
# reaches it and runs the clean shutdown). Values are not checked here: the CLI rejects a bad
# one with a one-line error and exit status 2.
#
#   VHBA_LISTEN      portals, comma- or blank-separated HOST:PORT (default 0.0.0.0:3260)
#   VHBA_SIZE        --size          VHBA_BLOCK_SIZE  --block-size
#   VHBA_IQN         --iqn           VHBA_MINIPORT    --miniport
#   VHBA_FILE        --file          VHBA_CONFIG      --config (a mounted YAML file)
#   VHBA_HTTP        --http, the management API (default 0.0.0.0:9260 when a token is configured,
#                    else 127.0.0.1:9260: the health check reaches it, nothing outside can); "off": none
#   VHBA_HTTP_TOKEN_FILE   --http-token-file
#   VHBA_CHAP_USER         --chap-user           VHBA_CHAP_SECRET_FILE         --chap-secret-file
#   VHBA_MUTUAL_CHAP_USER  --mutual-chap-user    VHBA_MUTUAL_CHAP_SECRET_FILE  --mutual-chap-secret-file
#   VHBA_HTTP_TOKEN, VHBA_CHAP_SECRET, VHBA_MUTUAL_CHAP_SECRET: secrets the JVM reads from its
#                    environment itself; they never become arguments (anyone can read argv in ps)
#   VHBA_JAVA_OPTS   JVM options after the container defaults below, split on blanks (no quoting);
#                    a later -XX flag overrides an earlier one, -Xmx overrides MaxRAMPercentage
#   VHBA_JAR         the jar (default /opt/vhba/vhba.jar)
#   VHBA_LOG_LEVEL   read by the JVM's logging configuration itself
# An empty variable counts as unset.
set -eu
set -f # the blank-splitting below must never glob

# Heap from the container's memory limit, not the host's; a young generation of at most 256 MiB, so that
# resident memory tracks the RAM disks' data under full load (without it G1 grows the young generation
# until RSS is about three times the data: docs/performance.md, "Memory"); an OutOfMemoryError ends the
# JVM (and the container's restart policy takes over) instead of leaving a half-working target behind.
JVM_DEFAULTS="-XX:MaxRAMPercentage=75 -XX:MaxNewSize=256m -XX:+ExitOnOutOfMemoryError"

extra=$#

# Inside a container the portal must listen on all interfaces to be reachable through -p.
IFS=', 	
'
for portal in ${VHBA_LISTEN:-0.0.0.0:3260}; do
    set -- "$@" --listen "$portal"
done

# Variable=flag, for the options that take one value; emitted in this order.
for pair in VHBA_SIZE=--size VHBA_BLOCK_SIZE=--block-size VHBA_IQN=--iqn VHBA_MINIPORT=--miniport \
        VHBA_FILE=--file VHBA_CONFIG=--config VHBA_HTTP_TOKEN_FILE=--http-token-file \
        VHBA_CHAP_USER=--chap-user VHBA_CHAP_SECRET_FILE=--chap-secret-file \
        VHBA_MUTUAL_CHAP_USER=--mutual-chap-user VHBA_MUTUAL_CHAP_SECRET_FILE=--mutual-chap-secret-file; do
    name=${pair%%=*}
    eval "value=\${$name:-}"
    if [ -n "$value" ]; then
        set -- "$@" "${pair#*=}" "$value"
    fi
done

# The management API. Without a token it must stay on loopback: serve refuses a non-loopback
# address without one, and an open API would let anyone inject faults.
if [ -n "${VHBA_HTTP_TOKEN:-}${VHBA_HTTP_TOKEN_FILE:-}" ]; then
    http=${VHBA_HTTP:-0.0.0.0:9260}
else
    http=${VHBA_HTTP:-127.0.0.1:9260}
fi
if [ "$http" != off ]; then
    set -- "$@" --http "$http"
fi

# The flags were appended after the container's arguments; rotate those to the end so that
# they come last (a repeated --listen adds a portal; --help shows serve's usage).
while [ "$extra" -gt 0 ]; do
    set -- "$@" "$1"
    shift
    extra=$((extra - 1))
done

IFS=' 	
'
# shellcheck disable=SC2086 # the JVM options are split on purpose
exec java $JVM_DEFAULTS ${VHBA_JAVA_OPTS:-} -jar "${VHBA_JAR:-/opt/vhba/vhba.jar}" serve "$@"
