package io.vhba.miniport;

/** {@code HW_ADAPTER_CONTROL}: PASSIVE or DISPATCH level depending on the control type, no lock held. */
@FunctionalInterface
public interface HwStorAdapterControl<E> {
    ScsiAdapterControlStatus adapterControl(E deviceExtension, ScsiAdapterControlType controlType, Object parameters);
}
