package io.vhba.emulator.explore;

import io.netty.buffer.Unpooled;
import io.vhba.emulator.iscsi.pdu.AsyncMessage;
import io.vhba.emulator.iscsi.pdu.DataIn;
import io.vhba.emulator.iscsi.pdu.DataOut;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import io.vhba.emulator.iscsi.pdu.LogoutResponse;
import io.vhba.emulator.iscsi.pdu.NopIn;
import io.vhba.emulator.iscsi.pdu.NopOut;
import io.vhba.emulator.iscsi.pdu.Pdu;
import io.vhba.emulator.iscsi.pdu.R2T;
import io.vhba.emulator.iscsi.pdu.Reject;
import io.vhba.emulator.iscsi.pdu.ScsiCommand;
import io.vhba.emulator.iscsi.pdu.ScsiResponse;
import io.vhba.emulator.iscsi.pdu.TaskManagementRequest;
import io.vhba.emulator.iscsi.pdu.TaskManagementResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The initiator of an exploration (or a stress run): one session, one connection, the {@link Workload}'s commands at up
 * to QD outstanding, ABORT TASK and LOGICAL UNIT RESET where the workload puts them, every read checked against the
 * {@link BlockModel}. It returns the first {@link Finding}, or null when the workload ran clean. Unit attentions are
 * retried (a new nexus starts with one, a reset leaves one), as are BUSY and TASK SET FULL.
 */
final class WorkloadInitiator {
    static final String INITIATOR = "iqn.2026-11.io.vhba:explorer";
    private static final int BLOCK = 512;
    private static final int MAX_RETRIES = 20;
    private static final int FIRST_BURST = 65536;

    private final Workload w;
    private final IscsiClient client;
    private final Random rng;
    private final String target;
    private final BlockModel model;
    private final int regionBytes;
    private final boolean faultsOn;
    private final int[][] readers;
    private final int[][] writers;
    private final Map<Integer, Task> tasks = new LinkedHashMap<>();
    private final Map<Integer, Tmf> tmfs = new LinkedHashMap<>();
    private final Set<Integer> aborted = new HashSet<>();
    private int targetMaxRecv = 8192;
    private Finding finding;
    private long completed;
    private long abortsTookEffect;

    /** One command in flight. */
    private static final class Task {
        final Op op;
        final int lun;
        final int region;
        final byte[] out;
        int itt;
        int retries;
        final ByteArrayOutputStream in = new ByteArrayOutputStream();

        Task(Op op, int lun, int region, byte[] out) {
            this.op = op;
            this.lun = lun;
            this.region = region;
            this.out = out;
        }
    }

    /** A task management request in flight: ABORT TASK of {@code victim}, or a LUN RESET of the tasks it found. */
    private record Tmf(int function, Task victim, List<Task> atReset) {}

    /** One command of the plan, and whether an abort or a reset follows it. */
    private record Op(boolean write, boolean abort, boolean reset) {}

    WorkloadInitiator(Workload w, IscsiClient client, long seed, String target) {
        this.w = w;
        this.client = client;
        this.rng = new Random(seed);
        this.target = target;
        this.regionBytes = w.blocks() * BLOCK;
        this.model = new BlockModel(w.luns(), w.regions(), regionBytes);
        this.faultsOn = !w.faults().isEmpty();
        this.readers = new int[w.luns()][w.regions()];
        this.writers = new int[w.luns()][w.regions()];
    }

    /** Completed commands (for progress lines). */
    long completed() {
        return completed;
    }

    /** ABORT TASKs that found their task still in the target (FUNCTION COMPLETE): the abort path ran. */
    long abortsTookEffect() {
        return abortsTookEffect;
    }

    /** Runs the workload; the first finding, or null. */
    Finding run() {
        LoginResponse r = client.login(INITIATOR, target);
        if (r == null || r.statusClass() != 0) {
            return found(Finding.Kind.PROTOCOL, "login failed" + (r == null ? "" : String.format(" (status %d/%d)",
                    r.statusClass(), r.statusDetail())));
        }
        String keys = r.data().toString(StandardCharsets.UTF_8);
        r.release();
        for (String kv : keys.split("\0")) {
            if (kv.startsWith("MaxRecvDataSegmentLength=")) {
                targetMaxRecv = Integer.parseInt(kv.substring(kv.indexOf('=') + 1));
            }
        }
        List<Op> ops = plan();
        int next = 0;
        while (finding == null) {
            while (finding == null && tasks.size() < w.qd() && next < ops.size() && issue(ops.get(next))) {
                next++;
            }
            if (finding != null || (tasks.isEmpty() && tmfs.isEmpty() && next >= ops.size())) {
                break;
            }
            Object pdu = client.receive();
            if (pdu == null) {
                return found(Finding.Kind.PROTOCOL, "the target closed the connection with " + tasks.size()
                        + " commands outstanding");
            }
            handle(pdu);
        }
        if (finding == null) {
            logout();
        }
        return finding;
    }

    private Finding found(Finding.Kind kind, String detail) {
        if (finding == null) {
            finding = new Finding(kind, detail);
        }
        return finding;
    }

    /** The commands in order, with the aborts and resets placed on random ones. */
    private List<Op> plan() {
        int n = w.reads() + w.writes();
        boolean[] write = new boolean[n];
        boolean[] abort = new boolean[n];
        boolean[] reset = new boolean[n];
        mark(write, w.writes());
        mark(abort, w.aborts());
        mark(reset, w.resets());
        List<Op> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(new Op(write[i], abort[i], reset[i]));
        }
        return l;
    }

    private void mark(boolean[] a, int count) {
        for (int done = 0; done < count; ) {
            int i = rng.nextInt(a.length);
            if (!a[i]) {
                a[i] = true;
                done++;
            }
        }
    }

    // ---- issuing --------------------------------------------------------------------------------

    /** Sends the command (and its abort or reset); false if no region is free for it now. */
    private boolean issue(Op op) {
        int lun = rng.nextInt(w.luns());
        int region = freeRegion(lun, op.write());
        if (region < 0) {
            return false;
        }
        Task t = new Task(op, lun, region, op.write() ? model.nextPattern(lun, region) : null);
        (op.write() ? writers : readers)[lun][region]++;
        if (op.abort()) {
            // the command and its ABORT TASK in one write, as a pipelining initiator sends them
            List<Pdu> pdus = commandPdus(t);
            int itt = client.nextItt();
            tmfs.put(itt, new Tmf(1, t, List.of()));
            pdus.add(new TaskManagementRequest(true, 1, lunField(lun), itt, t.itt, client.cmdSn(), client.expStatSn(),
                    client.cmdSn() - 1, 0));
            client.send(pdus.toArray(new Pdu[0]));
        } else {
            send(t);
        }
        if (op.reset()) {
            int itt = client.nextItt();
            List<Task> on = tasks.values().stream().filter(x -> x.lun == lun).toList();
            tmfs.put(itt, new Tmf(5, null, on));
            client.send(new TaskManagementRequest(true, 5, lunField(lun), itt, -1, client.cmdSn(), client.expStatSn(), 0, 0));
        }
        return true;
    }

    /** A region with no write outstanding (a read), or nothing outstanding at all (a write), at random; -1 if none. */
    private int freeRegion(int lun, boolean write) {
        int start = rng.nextInt(w.regions());
        for (int i = 0; i < w.regions(); i++) {
            int r = (start + i) % w.regions();
            if (writers[lun][r] == 0 && (!write || readers[lun][r] == 0)) {
                return r;
            }
        }
        return -1;
    }

    private void send(Task t) {
        client.send(commandPdus(t).toArray(new Pdu[0]));
    }

    /** The command's PDUs: the SCSI Command with its immediate data, then unsolicited Data-Out for the first burst. */
    private List<Pdu> commandPdus(Task t) {
        List<Pdu> pdus = new ArrayList<>();
        t.itt = client.nextItt();
        tasks.put(t.itt, t);
        byte[] cdb = new byte[16];
        cdb[0] = (byte) (t.op.write() ? 0x2A : 0x28);
        long lba = (long) t.region * w.blocks();
        cdb[2] = (byte) (lba >>> 24);
        cdb[3] = (byte) (lba >>> 16);
        cdb[4] = (byte) (lba >>> 8);
        cdb[5] = (byte) lba;
        cdb[7] = (byte) (w.blocks() >>> 8);
        cdb[8] = (byte) w.blocks();
        int immediate = t.out == null ? 0 : Math.min(regionBytes, Math.min(targetMaxRecv, FIRST_BURST));
        pdus.add(new ScsiCommand(false, true, !t.op.write(), t.op.write(), 1, lunField(t.lun), t.itt, regionBytes,
                client.nextCmdSn(), client.expStatSn(), cdb, -1,
                immediate == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(t.out, 0, immediate)));
        // InitialR2T=No: the rest of the first burst goes unsolicited
        int unsolicitedEnd = t.out == null ? 0 : Math.min(regionBytes, FIRST_BURST);
        pdus.addAll(dataOut(t, -1, immediate, unsolicitedEnd - immediate));
        return pdus;
    }

    /** Data-Out PDUs for {@code [offset, offset + length)}: unsolicited ({@code ttt} -1) or for an R2T. */
    private List<Pdu> dataOut(Task t, int ttt, int offset, int length) {
        List<Pdu> pdus = new ArrayList<>();
        int sn = 0;
        for (int done = 0; done < length; ) {
            int n = Math.min(targetMaxRecv, length - done);
            boolean last = done + n == length;
            pdus.add(new DataOut(last, lunField(t.lun), t.itt, ttt, client.expStatSn(), sn++, offset + done,
                    Unpooled.wrappedBuffer(t.out, offset + done, n)));
            done += n;
        }
        return pdus;
    }

    private static long lunField(int lun) {
        return (long) lun << 48; // peripheral device addressing, bus 0 (SAM-5 4.7.7)
    }

    // ---- receiving ------------------------------------------------------------------------------

    private void handle(Object pdu) {
        try {
            if (pdu instanceof DataIn d) {
                onDataIn(d);
            } else if (pdu instanceof ScsiResponse r) {
                client.acknowledge(r.statSN());
                byte[] sense = new byte[0];
                if (r.data().readableBytes() >= 2) {
                    int len = Math.min(r.data().getUnsignedShort(r.data().readerIndex()), r.data().readableBytes() - 2);
                    sense = new byte[len];
                    r.data().getBytes(r.data().readerIndex() + 2, sense);
                }
                finish(r.itt(), r.response() == 0 ? r.status() : -1, sense);
            } else if (pdu instanceof TaskManagementResponse m) {
                client.acknowledge(m.statSN());
                onTmf(m);
            } else if (pdu instanceof R2T r) {
                Task t = tasks.get(r.itt());
                if (t != null && t.out != null) {
                    client.send(dataOut(t, r.ttt(), r.bufferOffset(), r.desiredDataTransferLength()).toArray(new Pdu[0]));
                }
            } else if (pdu instanceof NopIn n) {
                if (n.ttt() != Pdu.RESERVED_TAG) { // a target ping: answer it (RFC 7143 §11.18)
                    client.send(new NopOut(true, n.lun(), Pdu.RESERVED_TAG, n.ttt(), client.cmdSn(), client.expStatSn(),
                            Unpooled.EMPTY_BUFFER));
                }
            } else if (pdu instanceof AsyncMessage a) {
                client.acknowledge(a.statSN());
            } else if (pdu instanceof Reject j) {
                found(Finding.Kind.PROTOCOL, String.format("the target rejected a PDU (reason 0x%02x)", j.reason()));
            } else {
                found(Finding.Kind.PROTOCOL, "unexpected " + pdu.getClass().getSimpleName());
            }
        } finally {
            if (pdu instanceof Pdu p) {
                p.release();
            }
        }
    }

    private void onDataIn(DataIn d) {
        Task t = tasks.get(d.itt());
        if (t == null) {
            if (aborted.contains(d.itt())) {
                found(Finding.Kind.PROTOCOL, String.format("Data-In for ITT 0x%x, which the target said it aborted", d.itt()));
            }
            return;
        }
        byte[] b = new byte[d.data().readableBytes()];
        d.data().getBytes(d.data().readerIndex(), b);
        t.in.write(b, 0, b.length);
        if (d.statusPresent()) {
            client.acknowledge(d.statSN());
            finish(d.itt(), d.status(), new byte[0]);
        }
    }

    /** A command ended with {@code status} (-1: an iSCSI-level failure). */
    private void finish(int itt, int status, byte[] sense) {
        Task t = tasks.remove(itt);
        if (t == null) {
            if (aborted.contains(itt)) {
                found(Finding.Kind.PROTOCOL, String.format("a response for ITT 0x%x, which the target said it aborted", itt));
            }
            return;
        }
        (t.op.write() ? writers : readers)[t.lun][t.region]--;
        int key = sense.length > 2 ? sense[2] & 0x0F : -1;
        if (status == 0) {
            completed++;
            if (t.op.write()) {
                model.written(t.lun, t.region, t.out);
            } else {
                String wrong = model.check(t.lun, t.region, t.in.toByteArray());
                if (wrong != null) {
                    found(Finding.Kind.MISCOMPARE, wrong);
                }
            }
            return;
        }
        boolean unitAttention = status == 2 && key == 6;
        boolean busy = status == 0x08 || status == 0x28;
        if ((unitAttention || busy) && t.retries < MAX_RETRIES) {
            retry(t);
            return;
        }
        if (t.op.write()) {
            model.lost(t.lun, t.region);
        }
        if (!faultsOn) {
            found(Finding.Kind.PROTOCOL, String.format("%s of LUN %d region %d ended with status 0x%02x%s",
                    t.op.write() ? "WRITE" : "READ", t.lun, t.region, status,
                    sense.length > 13 ? String.format(" sense %x/%02x/%02x", key, sense[12] & 0xFF, sense[13] & 0xFF) : ""));
        }
    }

    private void retry(Task old) {
        Task t = new Task(old.op, old.lun, old.region, old.out);
        t.retries = old.retries + 1;
        (t.op.write() ? writers : readers)[t.lun][t.region]++;
        send(t);
    }

    private void onTmf(TaskManagementResponse m) {
        Tmf tmf = tmfs.remove(m.itt());
        if (tmf == null || m.response() != 0) {
            return; // "task does not exist": it completed first, and its response came before this one
        }
        if (tmf.function() == 1) {
            abortsTookEffect++;
        }
        List<Task> gone = tmf.function() == 1 ? List.of(tmf.victim()) : tmf.atReset();
        for (Task t : gone) {
            if (tasks.remove(t.itt) != null) { // aborted: it will not be answered (RFC 7143 §4.2.3.3)
                aborted.add(t.itt);
                (t.op.write() ? writers : readers)[t.lun][t.region]--;
                if (t.op.write()) {
                    model.lost(t.lun, t.region);
                }
            }
        }
    }

    private void logout() {
        client.logout();
        for (int i = 0; i < 64; i++) {
            Object pdu = client.receive();
            if (pdu == null || pdu instanceof LogoutResponse) {
                if (pdu instanceof Pdu p) {
                    p.release();
                }
                return;
            }
            handle(pdu);
        }
    }
}
