package io.vhba.miniport;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code HW_INITIALIZATION_DATA} (and {@code VIRTUAL_HW_INITIALIZATION_DATA} when
 * {@link #isVirtual()}): the routine table and sizes a miniport hands to
 * {@link StorPort#initialize}. {@code DeviceExtensionSize} and
 * {@code SpecificLuExtensionSize} become factories, since a Java miniport's extensions are
 * objects; {@code SrbExtensionSize} stays a byte count because the SRB extension is
 * DMA-able host memory with a physical address.
 *
 * <p>{@code StorPortInitialize} refuses the table with {@link NtStatus#STATUS_REVISION_MISMATCH}
 * when FindAdapter, Initialize, StartIo or ResetBus is missing (STORPORT.md, step 1).
 *
 * @param <E> the miniport's device extension type
 */
public final class HwInitializationData<E> {
    private final InterfaceType adapterInterfaceType;
    private final boolean virtual;
    private final Supplier<? extends E> deviceExtension;
    private final Supplier<?> specificLuExtension;
    private final int srbExtensionSize;
    private final int numberOfAccessRanges;
    private final boolean taggedQueuing;
    private final boolean autoRequestSense;
    private final boolean multipleRequestPerLu;
    private final boolean needPhysicalAddresses;
    private final HwStorFindAdapter<E> hwFindAdapter;
    private final HwStorInitialize<E> hwInitialize;
    private final HwStorStartIo<E> hwStartIo;
    private final HwStorBuildIo<E> hwBuildIo;
    private final HwStorInterrupt<E> hwInterrupt;
    private final HwStorResetBus<E> hwResetBus;
    private final HwStorAdapterControl<E> hwAdapterControl;

    private HwInitializationData(Builder<E> b) {
        adapterInterfaceType = b.adapterInterfaceType;
        virtual = b.virtual;
        deviceExtension = b.deviceExtension;
        specificLuExtension = b.specificLuExtension;
        srbExtensionSize = b.srbExtensionSize;
        numberOfAccessRanges = b.numberOfAccessRanges;
        taggedQueuing = b.taggedQueuing;
        autoRequestSense = b.autoRequestSense;
        multipleRequestPerLu = b.multipleRequestPerLu;
        needPhysicalAddresses = b.needPhysicalAddresses;
        hwFindAdapter = b.hwFindAdapter;
        hwInitialize = b.hwInitialize;
        hwStartIo = b.hwStartIo;
        hwBuildIo = b.hwBuildIo;
        hwInterrupt = b.hwInterrupt;
        hwResetBus = b.hwResetBus;
        hwAdapterControl = b.hwAdapterControl;
    }

    /** A table for a physical adapter on {@code busType}. */
    public static <E> Builder<E> builder(InterfaceType busType, Supplier<? extends E> deviceExtension) {
        return new Builder<>(busType, false, deviceExtension);
    }

    /** A {@code VIRTUAL_HW_INITIALIZATION_DATA} table: no hardware, no interrupts. */
    public static <E> Builder<E> virtualBuilder(Supplier<? extends E> deviceExtension) {
        return new Builder<>(InterfaceType.INTERNAL, true, deviceExtension);
    }

    public InterfaceType adapterInterfaceType() { return adapterInterfaceType; }
    public boolean isVirtual() { return virtual; }
    public Supplier<? extends E> deviceExtension() { return deviceExtension; }
    /** May be null: the miniport keeps no per-LU extension. */
    public Supplier<?> specificLuExtension() { return specificLuExtension; }
    public int srbExtensionSize() { return srbExtensionSize; }
    public int numberOfAccessRanges() { return numberOfAccessRanges; }
    public boolean taggedQueuing() { return taggedQueuing; }
    public boolean autoRequestSense() { return autoRequestSense; }
    public boolean multipleRequestPerLu() { return multipleRequestPerLu; }
    public boolean needPhysicalAddresses() { return needPhysicalAddresses; }
    public HwStorFindAdapter<E> hwFindAdapter() { return hwFindAdapter; }
    public HwStorInitialize<E> hwInitialize() { return hwInitialize; }
    public HwStorStartIo<E> hwStartIo() { return hwStartIo; }
    /** May be null: the port then skips BuildIo. */
    public HwStorBuildIo<E> hwBuildIo() { return hwBuildIo; }
    /** May be null for an MSI-only or virtual adapter. */
    public HwStorInterrupt<E> hwInterrupt() { return hwInterrupt; }
    public HwStorResetBus<E> hwResetBus() { return hwResetBus; }
    /** May be null. */
    public HwStorAdapterControl<E> hwAdapterControl() { return hwAdapterControl; }

    /** Builder; unset routines stay null, as in a zeroed C structure. */
    public static final class Builder<E> {
        private final InterfaceType adapterInterfaceType;
        private final boolean virtual;
        private final Supplier<? extends E> deviceExtension;
        private Supplier<?> specificLuExtension;
        private int srbExtensionSize;
        private int numberOfAccessRanges;
        private boolean taggedQueuing = true;
        private boolean autoRequestSense = true;
        private boolean multipleRequestPerLu = true;
        private boolean needPhysicalAddresses = true;
        private HwStorFindAdapter<E> hwFindAdapter;
        private HwStorInitialize<E> hwInitialize;
        private HwStorStartIo<E> hwStartIo;
        private HwStorBuildIo<E> hwBuildIo;
        private HwStorInterrupt<E> hwInterrupt;
        private HwStorResetBus<E> hwResetBus;
        private HwStorAdapterControl<E> hwAdapterControl;

        private Builder(InterfaceType type, boolean virtual, Supplier<? extends E> deviceExtension) {
            this.adapterInterfaceType = Objects.requireNonNull(type);
            this.virtual = virtual;
            this.deviceExtension = Objects.requireNonNull(deviceExtension, "deviceExtension");
        }

        public Builder<E> specificLuExtension(Supplier<?> v) { specificLuExtension = v; return this; }
        public Builder<E> srbExtensionSize(int v) { srbExtensionSize = v; return this; }
        public Builder<E> numberOfAccessRanges(int v) { numberOfAccessRanges = v; return this; }
        public Builder<E> taggedQueuing(boolean v) { taggedQueuing = v; return this; }
        public Builder<E> autoRequestSense(boolean v) { autoRequestSense = v; return this; }
        public Builder<E> multipleRequestPerLu(boolean v) { multipleRequestPerLu = v; return this; }
        public Builder<E> needPhysicalAddresses(boolean v) { needPhysicalAddresses = v; return this; }
        public Builder<E> hwFindAdapter(HwStorFindAdapter<E> v) { hwFindAdapter = v; return this; }
        public Builder<E> hwInitialize(HwStorInitialize<E> v) { hwInitialize = v; return this; }
        public Builder<E> hwStartIo(HwStorStartIo<E> v) { hwStartIo = v; return this; }
        public Builder<E> hwBuildIo(HwStorBuildIo<E> v) { hwBuildIo = v; return this; }
        public Builder<E> hwInterrupt(HwStorInterrupt<E> v) { hwInterrupt = v; return this; }
        public Builder<E> hwResetBus(HwStorResetBus<E> v) { hwResetBus = v; return this; }
        public Builder<E> hwAdapterControl(HwStorAdapterControl<E> v) { hwAdapterControl = v; return this; }

        public HwInitializationData<E> build() {
            return new HwInitializationData<>(this);
        }
    }
}
