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
#   VHBA_JAVA_OPTS   JVM options, split on blanks (no quoting; JAVA_TOOL_OPTIONS works too)
#   VHBA_JAR         the jar (default /opt/vhba/vhba.jar)
#   VHBA_LOG_LEVEL   read by the JVM's logging configuration itself
# An empty variable counts as unset.
set -eu
set -f # the blank-splitting below must never glob

extra=$#

# Inside a container the portal must listen on all interfaces to be reachable through -p.
IFS=', 	
'
for portal in ${VHBA_LISTEN:-0.0.0.0:3260}; do
    set -- "$@" --listen "$portal"
done

# Variable=flag, for the options that take one value; emitted in this order.
for pair in VHBA_SIZE=--size VHBA_BLOCK_SIZE=--block-size VHBA_IQN=--iqn VHBA_MINIPORT=--miniport \
        VHBA_FILE=--file VHBA_CONFIG=--config; do
    name=${pair%%=*}
    eval "value=\${$name:-}"
    if [ -n "$value" ]; then
        set -- "$@" "${pair#*=}" "$value"
    fi
done

# The flags were appended after the container's arguments; rotate those to the end so that
# they come last (a repeated --listen adds a portal; --help shows serve's usage).
while [ "$extra" -gt 0 ]; do
    set -- "$@" "$1"
    shift
    extra=$((extra - 1))
done

IFS=' 	
'
# shellcheck disable=SC2086 # VHBA_JAVA_OPTS is split on purpose
exec java ${VHBA_JAVA_OPTS:-} -jar "${VHBA_JAR:-/opt/vhba/vhba.jar}" serve "$@"
