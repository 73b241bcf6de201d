package io.vhba.emulator.iscsi.session;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the SCSI commands of every session did, counted where the transport answers them: commands received and
 * answered, bytes moved each way, and the time from the command PDU to its status. A few uncontended adds per
 * command; read by {@code serve --stats} and the management API as differences between two {@link #snapshot}s.
 */
public final class IoStatistics {
    private final LongAdder received = new LongAdder();
    private final LongAdder answered = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder reads = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final LongAdder bytesRead = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder latencyNanos = new LongAdder();

    /**
     * The totals at one moment.
     *
     * @param received     SCSI commands taken from the CmdSN window
     * @param answered     commands whose status went out
     * @param dropped      commands that ended without status (aborted, or their connection went away)
     * @param reads        answered commands with a Data-In phase
     * @param writes       answered commands with a Data-Out phase
     * @param bytesRead    Data-In bytes sent
     * @param bytesWritten Data-Out bytes the initiators announced (Expected Data Transfer Length of writes)
     * @param latencyNanos the sum, over answered commands, of the time from command PDU to status
     */
    public record Snapshot(long received, long answered, long dropped, long reads, long writes, long bytesRead, long bytesWritten,
                           long latencyNanos) {
        public static final Snapshot ZERO = new Snapshot(0, 0, 0, 0, 0, 0, 0, 0);

        /** What happened between {@code earlier} and this snapshot. */
        public Snapshot minus(Snapshot earlier) {
            return new Snapshot(received - earlier.received, answered - earlier.answered, dropped - earlier.dropped,
                    reads - earlier.reads,
                    writes - earlier.writes, bytesRead - earlier.bytesRead, bytesWritten - earlier.bytesWritten,
                    latencyNanos - earlier.latencyNanos);
        }

        /** Commands received that have neither been answered nor dropped yet. */
        public long outstanding() {
            return Math.max(0, received - answered - dropped);
        }

        /** The mean command latency in microseconds, 0 without commands. */
        public double meanLatencyMicros() {
            return answered == 0 ? 0 : latencyNanos / 1000.0 / answered;
        }
    }

    void received() {
        received.increment();
    }

    void dropped() {
        dropped.increment();
    }

    void answered(boolean read, boolean write, long dataInBytes, long dataOutBytes, long nanos) {
        answered.increment();
        if (read) {
            reads.increment();
            bytesRead.add(dataInBytes);
        }
        if (write) {
            writes.increment();
            bytesWritten.add(dataOutBytes);
        }
        latencyNanos.add(nanos);
    }

    public Snapshot snapshot() {
        // ends before receipts: a command that ends in between shows as outstanding, never as a negative count
        long a = answered.sum();
        long d = dropped.sum();
        return new Snapshot(received.sum(), a, d, reads.sum(), writes.sum(), bytesRead.sum(), bytesWritten.sum(),
                latencyNanos.sum());
    }
}
