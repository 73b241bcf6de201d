/**
 * The simulated hardware platform: host memory with physical addresses (data buffers on
 * deliberately non-contiguous pages, uncached extensions contiguous), the MMIO bus that
 * routes register accesses to device register files, the DMA engine devices use, and the
 * wiring of device interrupt signals to kernel interrupt objects.
 */
package io.vhba.emulator.platform;
