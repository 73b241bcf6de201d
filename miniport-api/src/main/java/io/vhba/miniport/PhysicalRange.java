package io.vhba.miniport;

/**
 * The answer of {@code StorPortGetPhysicalAddress}: the physical address of a virtual
 * address and the number of bytes that stay physically contiguous from it.
 */
public record PhysicalRange(long physicalAddress, int length) {}
