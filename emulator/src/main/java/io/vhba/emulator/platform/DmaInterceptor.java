package io.vhba.emulator.platform;

/** Sees each DMA transfer before it happens; may sleep (delay) or throw a DmaFault (fail). */
@FunctionalInterface
public interface DmaInterceptor {
    void beforeTransfer(long physicalAddress, int length, boolean toHost);

    DmaInterceptor NONE = (pa, len, toHost) -> { };
}
