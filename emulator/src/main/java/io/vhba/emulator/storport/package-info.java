/**
 * The Storport engine: loads miniport drivers, starts adapters in Storport's order, queues
 * SRBs per logical unit, calls HwStorBuildIo/HwStorStartIo under the lock of the
 * synchronisation model, and completes requests through its completion DPC. The
 * {@link io.vhba.miniport.StorPort} routines a miniport calls are implemented by
 * {@link io.vhba.emulator.storport.PortServices}; the rules of STORPORT.md are checked by the
 * {@link io.vhba.emulator.verifier.StorportVerifier} on every call.
 */
package io.vhba.emulator.storport;
