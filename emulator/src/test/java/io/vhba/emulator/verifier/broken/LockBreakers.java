package io.vhba.emulator.verifier.broken;

import io.vhba.emulator.kernel.Irql;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.SpinLockType;
import io.vhba.miniport.Srb;
import io.vhba.miniport.StorLockHandle;
import io.vhba.miniport.SynchronizationModel;

/**
 * Miniports that break the lock rules (STORPORT.md, "Locks"). Lock findings carry the
 * STOR_SPINLOCK codes (DpcLock 1, StartIoLock 2, InterruptLock 3) and IRQLs as parameters.
 */
final class LockBreakers {
    private LockBreakers() {}

    /** The interrupt lock's DIRQL on the adapter (AdapterStart connects at DIRQL_MIN + 2). */
    static final int DIRQL = Irql.DIRQL_MIN + 2;

    /** The ISR takes the StartIo lock, which no ISR may take: IRQL 0x300A (lock 2, at DIRQL, may take nothing). */
    static final class IsrTakesStartIoLock extends BrokenMiniport {
        IsrTakesStartIoLock() {
            p2 = SpinLockType.START_IO_LOCK.code();
            p3 = DIRQL;
            p4 = 0;
        }

        @Override VerifierRule rule() { return VerifierRule.IRQL; }
        @Override String routine() { return "HwMSInterruptRoutine(0)"; }

        @Override
        void breakIsr(Ext e) {
            e.port.acquireSpinLock(e, SpinLockType.START_IO_LOCK, null, new StorLockHandle());
        }
    }

    /** StartIo (holding the StartIo lock) takes the DPC lock: StorPortSpinLock3 0x300C (lock 1 after lock 2, at DISPATCH). */
    static final class TakesDpcLockInsideStartIoLock extends BrokenMiniport {
        TakesDpcLockInsideStartIoLock() {
            p2 = SpinLockType.DPC_LOCK.code();
            p3 = SpinLockType.START_IO_LOCK.code();
            p4 = Irql.DISPATCH_LEVEL;
        }

        @Override VerifierRule rule() { return VerifierRule.SPIN_LOCK_ORDER; }
        @Override String routine() { return "HwStorStartIo"; }

        @Override
        boolean breakStartIo(Ext e, Srb srb) {
            e.port.acquireSpinLock(e, SpinLockType.DPC_LOCK, e.dpc, new StorLockHandle());
            return false;
        }
    }

    /** StartIo takes the StartIo lock the port already holds for it: StorPortSpinLock 0x300B (lock 2, level and IRQL DISPATCH). */
    static final class TakesStartIoLockTwice extends BrokenMiniport {
        TakesStartIoLockTwice() {
            p2 = SpinLockType.START_IO_LOCK.code();
            p3 = Irql.DISPATCH_LEVEL;
            p4 = Irql.DISPATCH_LEVEL;
        }

        @Override VerifierRule rule() { return VerifierRule.SPIN_LOCK_DOUBLE_ACQUIRE; }
        @Override String routine() { return "HwStorStartIo"; }

        @Override
        boolean breakStartIo(Ext e, Srb srb) {
            e.port.acquireSpinLock(e, SpinLockType.START_IO_LOCK, null, new StorLockHandle());
            return false;
        }
    }

    /** The DPC releases a handle it never acquired: StorPortSpinLock4 0x300D. */
    static final class ReleasesWithoutAcquire extends BrokenMiniport {
        @Override VerifierRule rule() { return VerifierRule.SPIN_LOCK_RELEASE_NOT_HELD; }
        @Override String routine() { return "HwStorDpcRoutine"; }

        @Override
        void breakDpc(Ext e) {
            e.port.releaseSpinLock(e, new StorLockHandle());
        }
    }

    /** Half-duplex StartIo (DIRQL, interrupt lock held) takes a spin lock: HwStorPortProhibitedDDIs 0x3012 (lock 1). */
    static final class SpinLockInHalfDuplexStartIo extends BrokenMiniport {
        SpinLockInHalfDuplexStartIo() {
            p2 = SpinLockType.DPC_LOCK.code();
        }

        @Override VerifierRule rule() { return VerifierRule.PROHIBITED_IN_HALF_DUPLEX_START_IO; }
        @Override String routine() { return "HwStorStartIo"; }
        @Override SynchronizationModel synchronizationModel() { return SynchronizationModel.HALF_DUPLEX; }

        @Override
        boolean breakStartIo(Ext e, Srb srb) {
            e.port.acquireSpinLock(e, SpinLockType.DPC_LOCK, e.dpc, new StorLockHandle());
            return false;
        }
    }
}
