package io.vhba.emulator.it;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.log4j.Level;
import org.apache.log4j.Logger;
import org.jscsi.initiator.Initiator;

/**
 * LUN 0 of one target through its own jSCSI 2.2 {@link Initiator} and session. Every call runs on a
 * daemon thread and is bounded by {@code limit}: jSCSI blocks without a timeout (it is known to hang
 * on large writes), and a test must fail, not hang.
 */
public final class JscsiDisk implements AutoCloseable {
    private final Initiator initiator;
    private final Duration limit;
    private final ExecutorService caller;
    private boolean open;

    private JscsiDisk(Initiator initiator, Duration limit, ExecutorService caller) {
        this.initiator = initiator;
        this.limit = limit;
        this.caller = caller;
    }

    /**
     * jSCSI logs through commons-logging to log4j 1.2 (its jar ships a log4j.xml with root ERROR).
     * Pinned here so a DEBUG configuration elsewhere on the class path cannot flood the reports. The
     * SenderWorker logger is silenced: its one ERROR fires on every login, because jSCSI expects the
     * first StatSN to be 0 while RFC 7143 §11.13.4 lets the target choose it.
     */
    public static void quietLogging() {
        Logger.getLogger("org.jscsi").setLevel(Level.ERROR);
        Logger.getLogger("org.jscsi.initiator.connection.SenderWorker").setLevel(Level.OFF);
    }

    /** Logs in (jSCSI sends READ CAPACITY(10) as part of it) with a new initiator built from {@code files}. */
    public static JscsiDisk open(JscsiConfigFiles files, Duration limit) {
        ExecutorService caller = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jscsi-caller");
            t.setDaemon(true);
            return t;
        });
        JscsiDisk disk = new JscsiDisk(new Initiator(files.configuration()), limit, caller);
        try {
            disk.call("login", () -> {
                disk.initiator.createSession(JscsiConfigFiles.TARGET_ID);
                return null;
            });
        } catch (RuntimeException | AssertionError e) {
            caller.shutdownNow();
            throw e;
        }
        disk.open = true;
        return disk;
    }

    /** What jSCSI calls the capacity: the RETURNED LOGICAL BLOCK ADDRESS of READ CAPACITY(10), unchanged. */
    public long capacity() {
        return call("getCapacity", () -> initiator.getCapacity(JscsiConfigFiles.TARGET_ID));
    }

    public long blockSize() {
        return call("getBlockSize", () -> initiator.getBlockSize(JscsiConfigFiles.TARGET_ID));
    }

    public void write(int lba, byte[] data) {
        call("write of " + data.length + " bytes at LBA " + lba, () -> {
            initiator.write(JscsiConfigFiles.TARGET_ID, ByteBuffer.wrap(data), lba, data.length);
            return null;
        });
    }

    public byte[] read(int lba, int bytes) {
        return call("read of " + bytes + " bytes at LBA " + lba, () -> {
            ByteBuffer b = ByteBuffer.allocate(bytes);
            initiator.read(JscsiConfigFiles.TARGET_ID, b, lba, bytes);
            return b.array();
        });
    }

    /** Logs the session out (bounded like everything else). */
    @Override
    public void close() {
        try {
            if (open) {
                open = false;
                call("logout", () -> {
                    initiator.closeSession(JscsiConfigFiles.TARGET_ID);
                    return null;
                });
            }
        } finally {
            caller.shutdownNow();
        }
    }

    private <T> T call(String what, Callable<T> action) {
        Future<T> f = caller.submit(action);
        try {
            return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("jSCSI " + what + " did not finish within " + limit, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("jSCSI " + what + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for jSCSI " + what, e);
        }
    }
}
