/**
 * Fault injection (ARCHITECTURE.md, "Fault injection"): faults modelled as {@link
 * io.vhba.emulator.fault.FaultSpec} (a {@link io.vhba.emulator.fault.FaultKind}, a {@link
 * io.vhba.emulator.fault.FaultTarget} and a {@link io.vhba.emulator.fault.Trigger}), parsed from
 * the command line by {@link io.vhba.emulator.fault.FaultSpecParser} and applied by the {@link
 * io.vhba.emulator.fault.FaultInjector} at the layer where each failure happens: platform
 * interrupts and DMA, the controller/device boundary, the SRB status before StartIo, and
 * adapter events.
 */
package io.vhba.emulator.fault;
