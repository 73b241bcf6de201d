#!/usr/bin/env python3
"""tmf-storm.py HOST PORT IQN LUN SECONDS — the abort/reset loop of bench/soak.sh.

One session on LUN `LUN`: rounds of 8 READ(10)s in flight, an ABORT TASK for one of them, and every
fifth round a LOGICAL UNIT RESET (as emulator/src/test/.../it/TaskManagementStormIT does). Every command
must be answered exactly once or covered by a TMF that completed; a TMF must answer FUNCTION COMPLETE or
TASK DOES NOT EXIST. Bounded in time and rounds. Prints one line of counts; exits 1 on a violation.
"""
import socket, struct, sys, time

host, port, iqn, lun, seconds = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
BLOCKS, IN_FLIGHT = 64, 8
LUN_FIELD = struct.pack(">HHI", lun & 0x3FFF, 0, 0)  # single-level peripheral addressing


def pdu(bhs, data=b""):
    bhs = bytearray(bhs)
    bhs[5:8] = struct.pack(">I", len(data))[1:]
    return bytes(bhs) + data + b"\0" * (-len(data) % 4)


def recv_exact(s, n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            raise SystemExit("tmf-storm: the target closed the connection")
        b += c
    return b


def recv(s):
    h = recv_exact(s, 48)
    ahs = h[4] * 4
    n = int.from_bytes(h[5:8], "big")
    rest = recv_exact(s, ahs + n + (-n % 4))
    return h, rest[ahs:ahs + n]


s = socket.create_connection((host, port), timeout=30)
itt, cmdsn = 1, 1
text = ("InitiatorName=iqn.2026-11.io.vhba.soak:tmf\0TargetName=%s\0SessionType=Normal\0HeaderDigest=None\0"
        "DataDigest=None\0MaxRecvDataSegmentLength=262144\0" % iqn).encode()
for rnd in range(3):
    bhs = struct.pack(">BBBBB3s6sHIHHII16x", 0x43, 0x87, 0, 0, 0, b"\0\0\0", b"\x80\x12\x34\x56\x78\x9a", 0,
                      itt, 0, 0, cmdsn, 0)
    s.sendall(pdu(bhs, text if rnd == 0 else b""))
    h, d = recv(s)
    if h[0] & 0x3F != 0x23 or h[36] != 0:
        raise SystemExit("tmf-storm: login failed, status %02x%02x" % (h[36], h[37]))
    if h[1] & 0x80 and h[1] & 0x03 == 3:
        break
itt += 1
sent = answered = aborted = resets = rounds = 0
deadline = time.monotonic() + seconds
while time.monotonic() < deadline and rounds < 1000 * seconds:
    open_, closed, cmdsn_of, covered = set(), set(), {}, {}
    for i in range(IN_FLIGHT):
        lba = (rounds * 997 + i * 131) % (8 * 2048 - BLOCKS)
        cdb = struct.pack(">BBIBHB6x", 0x28, 0, lba, 0, BLOCKS, 0)
        bhs = struct.pack(">BB2x4x8sIIII16s", 0x01, 0xC1, LUN_FIELD, itt, BLOCKS * 512, cmdsn, 0, cdb)
        s.sendall(pdu(bhs))
        open_.add(itt); cmdsn_of[itt] = cmdsn
        itt += 1; cmdsn += 1; sent += 1
    victim = sorted(open_)[rounds % IN_FLIGHT]
    bhs = struct.pack(">BB2x4x8sIIIIII8x", 0x42, 0x81, LUN_FIELD, itt, victim, cmdsn, 0, cmdsn_of[victim], 0)
    s.sendall(pdu(bhs)); covered[itt] = {victim}; itt += 1
    if rounds % 5 == 4:
        bhs = struct.pack(">BB2x4x8sIIIIII8x", 0x42, 0x85, LUN_FIELD, itt, 0xFFFFFFFF, cmdsn, 0, 0, 0)
        s.sendall(pdu(bhs)); covered[itt] = set(open_); itt += 1; resets += 1
    while open_ or covered:
        h, d = recv(s)
        op, t = h[0] & 0x3F, struct.unpack(">I", h[16:20])[0]
        done = op == 0x21 or (op == 0x25 and h[1] & 0x01)
        if op == 0x20 and t == 0xFFFFFFFF:
            # the target's ping (RFC 7143 §11.19): answer with its TTT, or it drops the connection
            s.sendall(pdu(struct.pack(">BB2x4x8sI4sII16x", 0x40, 0x80, LUN_FIELD, 0xFFFFFFFF, h[20:24], cmdsn, 0)))
        elif op == 0x3F:
            raise SystemExit("tmf-storm: Reject, reason 0x%02x" % h[2])
        if done:
            if t in closed or t not in open_:
                raise SystemExit("tmf-storm: ITT 0x%08x answered twice or after the TMF that aborted it" % t)
            open_.discard(t); answered += 1
        elif op == 0x22:
            if t not in covered or h[2] not in (0, 1):
                raise SystemExit("tmf-storm: TMF response %d for ITT 0x%08x" % (h[2], t))
            for v in covered.pop(t):
                if v in open_:
                    open_.discard(v); closed.add(v); aborted += 1
    rounds += 1
s.sendall(pdu(struct.pack(">BB2x4x8xIHHII16x", 0x46, 0x80, itt, 0, 0, cmdsn, 0)))
print("tmf-storm: rounds=%d reads=%d answered=%d aborted=%d lun_resets=%d" % (rounds, sent, answered, aborted, resets))
