package io.vhba.emulator.storport;

import io.vhba.emulator.kernel.KDpc;
import io.vhba.emulator.kernel.KSpinLock;

/** What {@code StorPortInitializeDpc} bound to a STOR_DPC: the kernel DPC and the DPC's own lock. */
record DpcBinding(Adapter adapter, KDpc kdpc, KSpinLock dpcLock) {}
