package io.vhba.emulator.scsi.disk;

import io.vhba.hw.ScsiResult;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A whole-medium operation (SANITIZE, FORMAT UNIT) on its own thread: it outlives the command that started it,
 * the task management functions and resets that end that command, and the I_T nexus that sent it (SBC-4
 * 4.11.4: a sanitize operation is not stopped by them; only its completion or failure ends it). Meanwhile every
 * other command but INQUIRY and REQUEST SENSE gets NOT READY with the progress indication.
 */
final class MediumOperation {
    /** The body of an operation; {@code progress} counts finished units out of the announced total. */
    @FunctionalInterface
    interface Work {
        void run(AtomicLong progress);
    }

    private MediumOperation() {}

    /**
     * Announces the operation (from now on other commands get NOT READY), then, on a new thread: waits for the
     * commands already on the medium, runs {@code work} under an exclusive lock of everything and forces the
     * store. The future completes with GOOD, or with the failure: a failed SANITIZE leaves the sanitize failure
     * state (MEDIUM ERROR / SANITIZE COMMAND FAILED for media access until a sanitize succeeds or EXIT FAILURE
     * MODE, SBC-4 4.11.5); a failed FORMAT UNIT reports FORMAT COMMAND FAILED.
     *
     * @throws CheckCondition NOT READY when another whole-medium operation runs
     */
    static CompletableFuture<ScsiResult> start(Disk d, MediumState.Operation op, boolean ause, long total, Work work) {
        MediumState before = d.medium.get();
        MediumState.InProgress busy = new MediumState.InProgress(op, new AtomicLong(), total);
        if (before instanceof MediumState.InProgress running) {
            throw new CheckCondition(running.notReady());
        }
        if (!d.medium.compareAndSet(before, busy)) { // another one won the race
            MediumState now = d.medium.get();
            throw new CheckCondition(now instanceof MediumState.InProgress running ? running.notReady()
                    : SenseData.of(SenseKey.NOT_READY, AdditionalSense.LOGICAL_UNIT_NOT_READY_CAUSE_NOT_REPORTABLE));
        }
        CompletableFuture<ScsiResult> outcome = new CompletableFuture<>();
        d.threads.start("vhba-" + op.name().toLowerCase(java.util.Locale.ROOT) + "-" + d.operations.incrementAndGet(),
                () -> outcome.complete(run(d, op, ause, busy, work)));
        return outcome;
    }

    private static ScsiResult run(Disk d, MediumState.Operation op, boolean ause, MediumState.InProgress busy,
                                  Work work) {
        try (RangeLock.Held all = d.locks.lockAll(RangeLock.Mode.EXCLUSIVE)) {
            work.run(busy.done());
            d.flushMedium();
            d.medium.set(MediumState.PRESENT);
            return ScsiResult.good(0);
        } catch (RuntimeException failure) {
            boolean sanitize = op == MediumState.Operation.SANITIZE;
            d.medium.set(sanitize ? new MediumState.SanitizeFailed(ause) : MediumState.PRESENT);
            return ScsiResult.checkCondition(SenseData.of(SenseKey.MEDIUM_ERROR,
                    sanitize ? AdditionalSense.SANITIZE_COMMAND_FAILED : AdditionalSense.FORMAT_COMMAND_FAILED));
        }
    }

    /**
     * Keeps a medium operation to a media rate: after each slice, sleeps until the time {@code bytesDone} would
     * take at {@code bytesPerSecond} has passed since the pacer was made. A RAM store overwrites gigabytes in a
     * fraction of a second; a disk takes minutes, and hosts (and iscsi-test-cu's Sanitize.Reset) rely on seeing
     * the operation in progress.
     */
    static final class Pacer {
        private final io.vhba.hw.PlatformThreads threads;
        private final long start;
        private final long bytesPerSecond;

        Pacer(Disk d, long bytesPerSecond) {
            this.threads = d.threads;
            this.start = threads.nanoTime();
            this.bytesPerSecond = bytesPerSecond;
        }

        void pace(long bytesDone) {
            if (bytesPerSecond <= 0) {
                return;
            }
            long due = start + (long) (bytesDone * (double) TimeUnit.SECONDS.toNanos(1) / bytesPerSecond);
            long wait = due - threads.nanoTime();
            if (wait > 0) {
                threads.sleepNanos(wait);
            }
        }
    }
}
