/**
 * What a miniport driver sees, and nothing else: the Storport callbacks it implements
 * ({@code HwStorFindAdapter}, {@code HwStorStartIo}, ...), the port services it calls
 * ({@link io.vhba.miniport.StorPort}), the SRB model and its status codes.
 *
 * <p>Names follow storport.h and srb.h in Java spelling, so that a reader who knows
 * the Windows headers finds {@code HwStorStartIo}, {@code SRB_STATUS_BUS_RESET}
 * ({@link io.vhba.miniport.SrbStatus#BUS_RESET}) and {@code StorPortNotification}
 * where they expect them. Memory is reached through {@link io.vhba.miniport.MemoryBuffer}
 * views (little-endian, as on x86) instead of raw pointers.
 */
package io.vhba.miniport;
