/**
 * What the sample controllers share on the device side: the command life cycle and the rule that
 * every DMA holds the command's monitor ({@link io.vhba.samples.common.hw.DeviceCommand}), the
 * scatter/gather data buffer ({@link io.vhba.samples.common.hw.ScatterGatherBuffer}), metered DMA
 * and counters, the register-table builder, unit addressing, and the datasheet fields every
 * sample controller defines the same way ({@link io.vhba.samples.common.hw.SgEntry},
 * {@link io.vhba.samples.common.hw.BusInfo}, {@link io.vhba.samples.common.hw.LunReset},
 * {@link io.vhba.samples.common.hw.RegisterArray}; JDK only, like each controller's register class).
 */
package io.vhba.samples.common.hw;
