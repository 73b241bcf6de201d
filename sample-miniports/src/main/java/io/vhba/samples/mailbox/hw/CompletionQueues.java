package io.vhba.samples.mailbox.hw;

import io.vhba.hw.Dma;
import io.vhba.hw.DmaFault;
import io.vhba.hw.InterruptSignal;
import io.vhba.hw.RegisterFile;
import io.vhba.samples.mailbox.hw.MailboxLayout.CqEntry;
import io.vhba.samples.mailbox.hw.MailboxRegister.Control;
import io.vhba.samples.mailbox.hw.MailboxStatistics.Counter;
import java.util.function.Consumer;

/**
 * The completion side of the controller: one completion queue per vector, and the
 * interrupt each vector raises.
 *
 * <p>Interrupt moderation, datasheet rule: a vector is <em>armed</em> after ENABLE and after
 * each CQ_HEAD[v] write. Posting to an armed vector raises its interrupt and disarms it, so
 * entries posted before the driver's ISR writes CQ_HEAD share one interrupt. The CQ_HEAD
 * write re-arms and, if entries were posted past the new head meanwhile, raises again at
 * once, so no completion waits for a later one.
 *
 * <p>Raising means: with CONTROL.MSIX_ENABLE, sending MSI-X message v (held pending while
 * INTR_MASK bit v is set, as the MSI-X pending bit array does); without it, setting
 * INTR_STATUS bit v and asserting the INTx line while any unmasked status bit is set. The
 * line ISR must clear INTR_STATUS before draining the queues and write CQ_HEAD after.
 *
 * <p>Locks: each vector's monitor guards its queue state; {@link #irqLock} guards the line
 * and the pending messages. A vector's monitor is never held while signalling, and the fatal
 * handler is called holding neither.
 */
final class CompletionQueues {

    /** One completion queue and its moderation state. */
    private static final class Queue {
        ActiveConfig config;
        int head;
        int tail;
        int phase;
        boolean armed;
    }

    private final RegisterFile bar0;
    private final MailboxStatistics stats;
    private final Consumer<FatalCode> fatal;
    private final Queue[] queues;
    private final Object irqLock = new Object();
    private volatile Dma dma;
    private volatile InterruptSignal irq;
    private boolean lineAsserted;
    private int pendingMessages;

    CompletionQueues(RegisterFile bar0, MailboxStatistics stats, int vectors, Consumer<FatalCode> fatal) {
        this.bar0 = bar0;
        this.stats = stats;
        this.fatal = fatal;
        this.queues = new Queue[vectors];
        for (int v = 0; v < vectors; v++) {
            queues[v] = new Queue();
        }
    }

    void attach(Dma dma, InterruptSignal irq) {
        this.dma = dma;
        this.irq = irq;
    }

    /** ENABLE: every queue empty at head 0, phase 1, armed. */
    void start(ActiveConfig config) {
        for (int v = 0; v < config.numVectors(); v++) {
            Queue q = queues[v];
            synchronized (q) {
                q.config = config;
                q.head = 0;
                q.tail = 0;
                q.phase = 1;
                q.armed = true;
            }
        }
    }

    /** RESET, disable or FATAL: queues stop accepting entries, pending interrupts and INTR_STATUS are dropped, the line drops. */
    void stop() {
        for (Queue q : queues) {
            synchronized (q) {
                q.config = null;
            }
        }
        synchronized (irqLock) {
            pendingMessages = 0;
            bar0.set(MailboxRegister.INTR_STATUS.name(), 0);
            updateLineLocked();
        }
    }

    /**
     * Writes the entry {@code slot} to queue {@code vector} for a command latched under
     * {@code config}. Returns false, posting nothing, when the device was reset since (the
     * queue now belongs to a newer configuration) or when the post failed fatally.
     */
    boolean post(ActiveConfig config, int vector, int slot) {
        Queue q = queues[vector];
        FatalCode failure = null;
        synchronized (q) {
            if (q.config != config) {
                return false;
            }
            int next = q.tail + 1 == config.cqDepth() ? 0 : q.tail + 1;
            if (next == q.head) {
                failure = FatalCode.CQ_OVERFLOW;
            } else {
                long entry = config.cqEntryAddress(vector, q.tail);
                try {
                    // SLOT first, then the dword carrying the phase: the driver trusts SLOT once it sees the phase
                    dma.writeInt(entry + CqEntry.SLOT, slot);
                    dma.writeInt(entry + CqEntry.FLAGS, q.phase & CqEntry.PHASE);
                } catch (DmaFault f) {
                    failure = FatalCode.DMA_FAULT;
                }
                if (failure == null) {
                    q.tail = next;
                    if (next == 0) {
                        q.phase ^= 1;
                    }
                }
            }
        }
        if (failure != null) {
            fatal.accept(failure);
            return false;
        }
        stats.increment(Counter.COMPLETIONS);
        return true;
    }

    /** Raises vector {@code vector} if it is armed and has entries past the driver's head. */
    void raise(int vector) {
        Queue q = queues[vector];
        synchronized (q) {
            if (q.config == null || !q.armed || q.tail == q.head || (control() & Control.INTR_ENABLE) == 0) {
                return;
            }
            q.armed = false;
        }
        deliver(vector);
    }

    /** CQ_HEAD[v] written with a head below CQ_DEPTH: consume, re-arm, and raise again if more entries wait. */
    void headWritten(int vector, int head) {
        Queue q = queues[vector];
        synchronized (q) {
            if (q.config == null) {
                return;
            }
            q.head = head;
            q.armed = true;
        }
        raise(vector);
    }

    /** CONTROL written: the line follows INTR_ENABLE and MSIX_ENABLE; enabling interrupts raises what waits. */
    void controlWritten(long oldControl, long newControl) {
        synchronized (irqLock) {
            updateLineLocked();
        }
        if ((oldControl & Control.INTR_ENABLE) == 0 && (newControl & Control.INTR_ENABLE) != 0) {
            for (int v = 0; v < queues.length; v++) {
                raise(v);
            }
        }
    }

    /** INTR_STATUS acknowledged (W1C): the line drops when no unmasked bit is left. */
    void statusWritten() {
        synchronized (irqLock) {
            updateLineLocked();
        }
    }

    /** INTR_MASK written: unmasked vectors send their pending message; the line follows the mask. */
    void maskWritten() {
        int release;
        synchronized (irqLock) {
            updateLineLocked();
            release = pendingMessages & ~(int) bar0.get(MailboxRegister.INTR_MASK.name());
            pendingMessages &= ~release;
        }
        for (int v = 0; release != 0; v++, release >>>= 1) {
            if ((release & 1) != 0) {
                signal(v);
            }
        }
    }

    private void deliver(int vector) {
        int bit = 1 << vector;
        if ((control() & Control.MSIX_ENABLE) != 0) {
            synchronized (irqLock) {
                if ((bar0.get(MailboxRegister.INTR_MASK.name()) & bit) != 0) {
                    pendingMessages |= bit;
                    return;
                }
            }
            signal(vector);
        } else {
            synchronized (irqLock) {
                bar0.setBits(MailboxRegister.INTR_STATUS.name(), bit);
                updateLineLocked();
            }
        }
    }

    private void signal(int vector) {
        stats.increment(Counter.INTERRUPTS_SIGNALLED);
        irq.signal(vector);
    }

    /**
     * Drives the INTx level from the registers. The state changes before the platform is
     * told, so an ISR the platform runs inside assertLine finds it consistent.
     */
    private void updateLineLocked() {
        long control = control();
        long level = bar0.get(MailboxRegister.INTR_STATUS.name()) & ~bar0.get(MailboxRegister.INTR_MASK.name());
        boolean assertNow = (control & Control.MSIX_ENABLE) == 0 && (control & Control.INTR_ENABLE) != 0 && level != 0;
        if (assertNow == lineAsserted || irq == null) {
            return;
        }
        lineAsserted = assertNow;
        if (assertNow) {
            stats.increment(Counter.INTERRUPTS_SIGNALLED);
            irq.assertLine();
        } else {
            irq.deassertLine();
        }
    }

    private long control() {
        return bar0.get(MailboxRegister.CONTROL.name());
    }
}
