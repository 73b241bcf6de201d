package io.vhba.miniport;

/**
 * {@code HW_FIND_ADAPTER}: runs at PASSIVE_LEVEL with no lock held. It maps the
 * adapter's registers ({@link StorPort#getDeviceBase}), may take the uncached extension
 * (only after setting {@code SrbExtensionSize}), and must set {@code MaximumTransferLength}
 * and {@code NumberOfPhysicalBreaks} (STORPORT.md, start-up order, step 2).
 *
 * <p>A virtual miniport gets the same callback ({@code VIRTUAL_HW_FIND_ADAPTER}); its
 * {@code config} has no access ranges and {@link PortConfigurationInformation#isVirtualDevice()} set.
 * Having no hardware, it reaches its storage in software: vHBA passes, as {@code busInformation},
 * an {@code io.vhba.hw.ScsiBus} (hardware-spi) of the logical units configured for the adapter;
 * it has no interrupts and no uncached extension ({@link StorPort#getUncachedExtension} returns
 * null), and may complete requests from StartIo, a DPC or a work item.
 */
@FunctionalInterface
public interface HwStorFindAdapter<E> {
    FindAdapterStatus findAdapter(E deviceExtension, Object hwContext, Object busInformation,
                                  String argumentString, PortConfigurationInformation config);
}
