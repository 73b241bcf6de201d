package io.vhba.miniport;

/** {@code STOR_LOCK_HANDLE}: filled by {@code StorPortAcquireSpinLock}, handed back to {@code StorPortReleaseSpinLock}. */
public final class StorLockHandle extends PortReserved {}
