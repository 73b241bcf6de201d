package io.vhba.miniport;

/** {@code HW_PASSIVE_INITIALIZE_ROUTINE}: PASSIVE_LEVEL, no lock; the only place DPCs are initialised. */
@FunctionalInterface
public interface HwStorPassiveInitializeRoutine<E> {
    boolean passiveInitialize(E deviceExtension);
}
