package io.vhba.emulator.storport;

import io.vhba.emulator.kernel.KSpinLock;
import io.vhba.emulator.kernel.KThreadState;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.SpinLockType;
import io.vhba.miniport.SynchronizationModel;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which Storport locks each miniport routine may take (STORPORT.md, "Locks", the "routine may
 * take" column; SDV StorPortIrql). Checked on every {@code StorPortAcquireSpinLock} and
 * {@code StorPortAcquireMSISpinLock}; a lock the thread already holds is left to the kernel,
 * which reports it as a double acquire.
 */
enum LockRules {
    FIND_ADAPTER("HwStorFindAdapter", EnumSet.noneOf(SpinLockType.class)),
    PASSIVE_INITIALIZE("HwStorPassiveInitializeRoutine", EnumSet.noneOf(SpinLockType.class)),
    HW_INITIALIZE("HwStorInitialize", EnumSet.noneOf(SpinLockType.class)),
    INTERRUPT("HwStorInterrupt", EnumSet.noneOf(SpinLockType.class)),
    MSI_INTERRUPT("HwMSInterruptRoutine", EnumSet.noneOf(SpinLockType.class)),
    START_IO("HwStorStartIo", EnumSet.of(SpinLockType.DPC_LOCK, SpinLockType.INTERRUPT_LOCK)),
    BUILD_IO("HwStorBuildIo", EnumSet.of(SpinLockType.DPC_LOCK, SpinLockType.START_IO_LOCK, SpinLockType.INTERRUPT_LOCK)),
    TIMER("HwStorTimer", EnumSet.of(SpinLockType.INTERRUPT_LOCK)),
    RESET_BUS("HwStorResetBus", EnumSet.of(SpinLockType.INTERRUPT_LOCK)),
    ADAPTER_CONTROL("HwStorAdapterControl", EnumSet.of(SpinLockType.DPC_LOCK, SpinLockType.START_IO_LOCK, SpinLockType.INTERRUPT_LOCK)),
    DPC("HwStorDpcRoutine", EnumSet.of(SpinLockType.DPC_LOCK, SpinLockType.START_IO_LOCK, SpinLockType.INTERRUPT_LOCK));

    private final String routine;
    private final Set<SpinLockType> mayTake;

    LockRules(String routine, Set<SpinLockType> mayTake) {
        this.routine = routine;
        this.mayTake = mayTake;
    }

    /** The locks this routine may take under the adapter's synchronisation model. */
    Set<SpinLockType> mayTake(SynchronizationModel mode) {
        if (mode == SynchronizationModel.HALF_DUPLEX && (this == TIMER || this == RESET_BUS)) {
            return EnumSet.noneOf(SpinLockType.class); // they already run under the interrupt lock
        }
        if (mode == SynchronizationModel.CONCURRENT_CHANNELS && this == START_IO) {
            // StartIo holds no StartIo lock with concurrent channels: the miniport may take it to guard what it shares
            return EnumSet.of(SpinLockType.DPC_LOCK, SpinLockType.START_IO_LOCK, SpinLockType.INTERRUPT_LOCK);
        }
        return mayTake;
    }

    private static final LockRules[] ROWS = values();

    /**
     * The row for the routine the calling thread runs for {@code a}, or null (engine code, or a routine not listed).
     * Runs on every lock acquisition: it compares in place rather than building substrings.
     */
    static LockRules running(Adapter a) {
        String r = KThreadState.current().routine();
        String adapter = a.name();
        int at = adapter.length() + 1; // the label is "adapter routine" (Adapter.routineLabel)
        if (r == null || r.length() <= at || !r.startsWith(adapter) || r.charAt(at - 1) != ' ') {
            return null;
        }
        for (LockRules row : ROWS) {
            if (r.startsWith(row.routine, at)) {
                return row;
            }
        }
        return null;
    }

    /**
     * Reports IRQL (0x300A) when the running routine may not take {@code type}: parameter 2
     * is the STOR_SPINLOCK code, 3 the current IRQL, 4 the bit mask (1 << code) of what the
     * routine may take.
     */
    static void check(Adapter a, SpinLockType type, KSpinLock[] locks) {
        LockRules row = running(a);
        if (row == null || locks == null) {
            return;
        }
        KThreadState st = KThreadState.current();
        for (KSpinLock l : locks) {
            if (st.holds(l)) {
                return; // the kernel reports SPIN_LOCK_DOUBLE_ACQUIRE
            }
        }
        Set<SpinLockType> allowed = row.mayTake(a.startIoModel());
        if (!allowed.contains(type)) {
            long mask = 0;
            for (SpinLockType t : allowed) {
                mask |= 1L << t.code();
            }
            a.engine.verifier().report(VerifierRule.IRQL, a.name(), type.code(), st.irql(), mask,
                    row.routine + " may not take the " + type + " (it may take " + allowed + ")");
        }
    }
}
