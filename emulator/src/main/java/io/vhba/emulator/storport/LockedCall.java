package io.vhba.emulator.storport;

import io.vhba.emulator.kernel.Irql;
import io.vhba.emulator.kernel.KSpinLock;
import io.vhba.miniport.SynchronizationModel;
import java.util.function.BooleanSupplier;

/**
 * Runs a miniport timer routine the way Storport does (STORPORT.md, "Locks": Timer holds the
 * StartIo lock, plus the interrupt lock in half duplex) at DISPATCH_LEVEL.
 */
final class LockedCall {
    private LockedCall() {}

    static void underStartIoLock(Adapter a, String routine, BooleanSupplier body) {
        int old = a.kernel.raiseIrql(Math.max(Irql.DISPATCH_LEVEL, a.kernel.currentIrql()));
        try {
            int o1 = a.kernel.acquire(a.startIoLock);
            boolean halfDuplex = a.config.getSynchronizationMode() == SynchronizationModel.HALF_DUPLEX;
            KSpinLock[] intr = halfDuplex ? a.interruptLocks() : null;
            int o2 = halfDuplex ? a.kernel.acquireGroup(intr) : -1;
            try {
                a.call(routine, body);
            } finally {
                if (halfDuplex) {
                    a.kernel.releaseGroup(intr, o2);
                }
                a.kernel.release(a.startIoLock, o1);
            }
        } finally {
            a.kernel.lowerIrql(old);
        }
    }
}
