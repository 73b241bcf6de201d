package io.vhba.miniport;

/**
 * {@code HW_STARTIO}: the IRQL and lock depend on the {@link SynchronizationModel}.
 * Returns true once the request has been accepted.
 */
@FunctionalInterface
public interface HwStorStartIo<E> {
    boolean startIo(E deviceExtension, Srb srb);
}
