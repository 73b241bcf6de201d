#!/bin/bash
# HEALTHCHECK: exit 0 when the management API answers GET /health with 200 (every adapter runs),
# else 1 (Docker reserves 2). An adapter the verifier stopped with a bug check makes /health answer
# 503, so the container turns unhealthy. The /health body goes to standard output, which
# `docker inspect` keeps in the health log.
#
# Reads the variables docker/entrypoint.sh reads: VHBA_HTTP (same default: 0.0.0.0:9260 with a
# token, 127.0.0.1:9260 without), VHBA_HTTP_TOKEN or VHBA_HTTP_TOKEN_FILE. HTTP is spoken over
# bash's /dev/tcp, so the image needs no curl; the token goes out through printf, a builtin, so it
# is never in any process's argv. With VHBA_HTTP=off there is no API: the check falls back to the
# first portal of VHBA_LISTEN accepting a TCP connection, which cannot see a stopped adapter.
set -u
WAIT_SECONDS=2 # per read; Docker's --timeout bounds the whole check

# "host:port" -> host and port to connect to; a wildcard address is reached on the loopback of its family.
endpoint() {
    host=${1%:*}
    port=${1##*:}
    host=${host#[}
    host=${host%]}
    case $host in
        0.0.0.0 | '') host=127.0.0.1 ;;
        :: | 0:0:0:0:0:0:0:0) host=::1 ;;
    esac
}

token=${VHBA_HTTP_TOKEN:-}
if [ -z "$token" ] && [ -n "${VHBA_HTTP_TOKEN_FILE:-}" ]; then
    if ! token=$(< "$VHBA_HTTP_TOKEN_FILE"); then
        echo "cannot read VHBA_HTTP_TOKEN_FILE"
        exit 1
    fi
    token=${token//[$' \t\r\n']/} # a token has no blanks; a trailing newline is not part of it
fi
if [ -n "$token" ] || [ -n "${VHBA_HTTP_TOKEN_FILE:-}" ]; then
    http=${VHBA_HTTP:-0.0.0.0:9260}
else
    http=${VHBA_HTTP:-127.0.0.1:9260}
fi

if [ "$http" = off ]; then
    IFS=', 	
' read -r -a portals <<< "${VHBA_LISTEN:-}"
    endpoint "${portals[0]:-0.0.0.0:3260}"
    # The connection is closed without a PDU; the target just sees a connection end before login.
    if ! exec 3<> "/dev/tcp/$host/$port"; then
        exit 1
    fi
    exec 3>&-
    exit 0
fi

endpoint "$http"
if ! exec 3<> "/dev/tcp/$host/$port"; then
    echo "nothing listens on $host:$port (VHBA_HTTP=$http)"
    exit 1
fi
authority=$host:$port
[[ $host == *:* ]] && authority="[$host]:$port"
{
    printf 'GET /health HTTP/1.1\r\nHost: %s\r\nAccept: application/json\r\nConnection: close\r\n' "$authority"
    if [ -n "$token" ]; then
        printf 'Authorization: Bearer %s\r\n' "$token"
    fi
    printf '\r\n'
} >&3

if ! IFS= read -r -t "$WAIT_SECONDS" status <&3; then
    echo "no answer from $authority within ${WAIT_SECONDS} s"
    exit 1
fi
status=${status%$'\r'}
length=
while IFS= read -r -t "$WAIT_SECONDS" header <&3; do
    header=${header%$'\r'}
    [ -z "$header" ] && break
    shopt -s nocasematch
    if [[ $header =~ ^content-length:[[:blank:]]*([0-9]+) ]]; then
        length=${BASH_REMATCH[1]}
    fi
    shopt -u nocasematch
done
body=
IFS= read -r -t "$WAIT_SECONDS" -N "${length:-4096}" body <&3
exec 3<&-
echo "$status ${body:0:4096}"
# RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ]
[[ $status =~ ^HTTP/1\.[01]\ 200(\ |$) ]]
