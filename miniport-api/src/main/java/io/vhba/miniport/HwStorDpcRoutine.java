package io.vhba.miniport;

/** {@code HW_DPC_ROUTINE}: runs at DISPATCH_LEVEL with no lock held. */
@FunctionalInterface
public interface HwStorDpcRoutine<E> {
    void dpc(StorDpc dpc, E deviceExtension, Object systemArgument1, Object systemArgument2);
}
