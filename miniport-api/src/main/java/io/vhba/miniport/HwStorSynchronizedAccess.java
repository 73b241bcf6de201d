package io.vhba.miniport;

/** {@code STOR_SYNCHRONIZED_ACCESS}: runs under the interrupt lock, through {@link StorPort#synchronizeAccess}. */
@FunctionalInterface
public interface HwStorSynchronizedAccess<E> {
    boolean synchronizedAccess(E deviceExtension, Object context);
}
