/**
 * The device side of the simulated platform. A controller model implements
 * {@link io.vhba.hw.DeviceModel}, declares its registers as a
 * {@link io.vhba.hw.RegisterFile}, reaches host memory only through {@link io.vhba.hw.Dma},
 * signals with {@link io.vhba.hw.InterruptSignal}, and runs commands on the
 * {@link io.vhba.hw.ScsiLogicalUnit}s attached to it. It never sees the Storport engine.
 */
package io.vhba.hw;
