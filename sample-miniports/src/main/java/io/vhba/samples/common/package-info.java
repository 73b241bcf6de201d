/**
 * What the sample miniports share on the driver side, where their logic really is the same:
 * mapping and reaching BAR0 ({@link io.vhba.samples.common.Bar0}), StartIo's per-function table
 * ({@link io.vhba.samples.common.StartIoFunctions}), the SRB's task attribute and hardware
 * scatter/gather list ({@link io.vhba.samples.common.SrbTranslation}), STORPORT.md's status rules
 * ({@link io.vhba.samples.common.SrbStatusRules}) and Stop/Restart in HwStorAdapterControl
 * ({@link io.vhba.samples.common.AdapterControl}). What a sample teaches (one slot array, rings
 * per processor, half duplex, no device) stays in that sample's package, read top to bottom.
 */
package io.vhba.samples.common;
