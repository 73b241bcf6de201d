package io.vhba.miniport;

/**
 * {@code HW_RESET_BUS}: DISPATCH_LEVEL under the StartIo lock, after the port paused every
 * device queue. The miniport completes its outstanding SRBs with
 * {@link SrbStatus#BUS_RESET} (STORPORT.md, "Timeouts and resets").
 */
@FunctionalInterface
public interface HwStorResetBus<E> {
    boolean resetBus(E deviceExtension, int pathId);
}
