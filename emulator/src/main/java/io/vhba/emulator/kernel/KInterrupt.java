package io.vhba.emulator.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code KINTERRUPT}: a connected interrupt (an MSI-X message or an INTx line) with its
 * DIRQL, the lock its ISR runs under, and the processor it is aimed at. An edge (MSI)
 * signalled again before its ISR runs is delivered once, as an APIC's IRR bit would. A level
 * (line) interrupt is delivered again after its ISR while the device keeps it asserted.
 */
public final class KInterrupt {
    private final String name;
    /** "ISR name", the routine label the verifier shows; built once, not per delivery (the hot path). */
    private final String routineLabel;
    private final int level;
    private final KSpinLock lock;
    private final KProcessor affinity;
    private final boolean levelTriggered;
    private final InterruptServiceRoutine isr;
    final AtomicBoolean pending = new AtomicBoolean();
    private volatile boolean asserted;
    private volatile boolean masked;
    final LongAdder signals = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder claimed = new LongAdder();

    public KInterrupt(String name, int level, KSpinLock lock, KProcessor affinity, boolean levelTriggered,
                      InterruptServiceRoutine isr) {
        if (level < Irql.DIRQL_MIN || level > Irql.DIRQL_MAX) {
            throw new IllegalArgumentException("not a device IRQL: " + level);
        }
        this.name = name;
        this.routineLabel = "ISR " + name;
        this.level = level;
        this.lock = lock;
        this.affinity = affinity;
        this.levelTriggered = levelTriggered;
        this.isr = isr;
    }

    public String name() {
        return name;
    }

    String routineLabel() {
        return routineLabel;
    }

    public int level() {
        return level;
    }

    public KSpinLock lock() {
        return lock;
    }

    public KProcessor affinity() {
        return affinity;
    }

    public boolean isLevelTriggered() {
        return levelTriggered;
    }

    InterruptServiceRoutine isr() {
        return isr;
    }

    boolean isAsserted() {
        return asserted;
    }

    void setAsserted(boolean asserted) {
        this.asserted = asserted;
    }

    public boolean isMasked() {
        return masked;
    }

    /** Masks or unmasks delivery (an interrupt arriving while masked stays pending). */
    public void setMasked(boolean masked) {
        this.masked = masked;
    }

    /** Times the device signalled (or asserted) it. */
    public long signalCount() {
        return signals.sum();
    }

    /** Times its ISR ran. */
    public long deliveredCount() {
        return delivered.sum();
    }

    /** Times its ISR returned true. */
    public long claimedCount() {
        return claimed.sum();
    }

    @Override
    public String toString() {
        return "KINTERRUPT[" + name + " " + Irql.name(level) + " -> CPU" + affinity.number() + "]";
    }
}
