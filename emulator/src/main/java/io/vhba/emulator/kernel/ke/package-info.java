/**
 * The {@code Ke*Dpc} facade ({@link io.vhba.miniport.kernel.KernelServices}) over the
 * simulated kernel's per-processor DPC queues.
 */
package io.vhba.emulator.kernel.ke;
