package io.vhba.emulator.storport;

import io.vhba.emulator.kernel.KSpinLock;

/** What {@code StorPortAcquireSpinLock} stored in a STOR_LOCK_HANDLE: the locks taken and the IRQL to restore. */
record HeldLock(KSpinLock[] locks, int oldIrql) {}
