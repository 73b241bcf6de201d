#!/bin/bash
# HEALTHCHECK: exit 0 when the first portal of VHBA_LISTEN (as docker/entrypoint.sh reads it)
# accepts a TCP connection, else 1 (Docker reserves 2). bash's /dev/tcp needs no tool in the
# image. A wildcard address is probed on the loopback of the same family.
set -u
IFS=', 	
' read -r -a portals <<< "${VHBA_LISTEN:-}"
portal=${portals[0]:-0.0.0.0:3260}
host=${portal%:*}
port=${portal##*:}
host=${host#[}
host=${host%]}
case $host in
    0.0.0.0 | '') host=127.0.0.1 ;;
    :: | 0:0:0:0:0:0:0:0) host=::1 ;;
esac
# The connection is closed without a PDU; the target just sees a connection end before login.
if ! exec 3<> "/dev/tcp/$host/$port"; then
    exit 1
fi
exec 3>&-
exit 0
