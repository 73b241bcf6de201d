package io.vhba.miniport;

import java.util.List;

/**
 * {@code PORT_CONFIGURATION_INFORMATION}: filled by the port with the resources the PnP
 * manager assigned, completed by {@code HwStorFindAdapter} with the adapter's limits.
 * The port reads it back once FindAdapter returns; later changes have no effect.
 */
public final class PortConfigurationInformation {
    private final int systemIoBusNumber;
    private final InterfaceType adapterInterfaceType;
    private final List<AccessRange> accessRanges;
    private final int messageCount;
    private final boolean virtualDevice;

    private int maximumTransferLength = 0x10000; // SP_UNINITIALIZED_VALUE is the Windows default; 64 KiB here
    private int numberOfPhysicalBreaks = -1;      // -1 = SP_UNINITIALIZED_VALUE: FindAdapter must set it
    private int numberOfBuses = 1;
    private int maximumNumberOfTargets = 1;
    private int maximumNumberOfLogicalUnits = 1;
    private int srbExtensionSize;
    private boolean scatterGather = true;
    private boolean master = true;
    private boolean cachesData;
    private boolean dma64BitAddresses = true;
    private boolean taggedQueuing = true;
    private boolean autoRequestSense = true;
    private boolean multipleRequestPerLu = true;
    private boolean resetTargetSupported = true;
    private SynchronizationModel synchronizationMode = SynchronizationModel.FULL_DUPLEX;
    private HwStorMessageSignaledInterruptRoutine<?> hwMSInterruptRoutine;
    private InterruptSynchronizationMode interruptSynchronizationMode = InterruptSynchronizationMode.INTERRUPT_SUPPORT_NONE;
    private int maxIosPerLun = 255;
    private int initialLunQueueDepth = 255;
    private int busResetHoldTime = 4_000_000; // microseconds, Storport's default hold after a bus reset

    public PortConfigurationInformation(int systemIoBusNumber, InterfaceType adapterInterfaceType,
                                        List<AccessRange> accessRanges, int messageCount, boolean virtualDevice) {
        this.systemIoBusNumber = systemIoBusNumber;
        this.adapterInterfaceType = adapterInterfaceType;
        this.accessRanges = List.copyOf(accessRanges);
        this.messageCount = messageCount;
        this.virtualDevice = virtualDevice;
    }

    public int getSystemIoBusNumber() { return systemIoBusNumber; }
    public InterfaceType getAdapterInterfaceType() { return adapterInterfaceType; }
    /** {@code NumberOfAccessRanges} is {@code getAccessRanges().size()}. */
    public List<AccessRange> getAccessRanges() { return accessRanges; }
    /** The number of MSI-X messages the device offers; 0 for a line-interrupt or virtual device. */
    public int getMessageCount() { return messageCount; }
    /** {@code VirtualDevice}: set by the port for a virtual miniport. */
    public boolean isVirtualDevice() { return virtualDevice; }

    public int getMaximumTransferLength() { return maximumTransferLength; }
    public void setMaximumTransferLength(int v) { maximumTransferLength = v; }
    public int getNumberOfPhysicalBreaks() { return numberOfPhysicalBreaks; }
    public void setNumberOfPhysicalBreaks(int v) { numberOfPhysicalBreaks = v; }
    public int getNumberOfBuses() { return numberOfBuses; }
    public void setNumberOfBuses(int v) { numberOfBuses = v; }
    public int getMaximumNumberOfTargets() { return maximumNumberOfTargets; }
    public void setMaximumNumberOfTargets(int v) { maximumNumberOfTargets = v; }
    public int getMaximumNumberOfLogicalUnits() { return maximumNumberOfLogicalUnits; }
    public void setMaximumNumberOfLogicalUnits(int v) { maximumNumberOfLogicalUnits = v; }
    public int getSrbExtensionSize() { return srbExtensionSize; }
    public void setSrbExtensionSize(int v) { srbExtensionSize = v; }
    public boolean isScatterGather() { return scatterGather; }
    public void setScatterGather(boolean v) { scatterGather = v; }
    public boolean isMaster() { return master; }
    public void setMaster(boolean v) { master = v; }
    public boolean isCachesData() { return cachesData; }
    public void setCachesData(boolean v) { cachesData = v; }
    public boolean isDma64BitAddresses() { return dma64BitAddresses; }
    public void setDma64BitAddresses(boolean v) { dma64BitAddresses = v; }
    public boolean isTaggedQueuing() { return taggedQueuing; }
    public void setTaggedQueuing(boolean v) { taggedQueuing = v; }
    public boolean isAutoRequestSense() { return autoRequestSense; }
    public void setAutoRequestSense(boolean v) { autoRequestSense = v; }
    public boolean isMultipleRequestPerLu() { return multipleRequestPerLu; }
    public void setMultipleRequestPerLu(boolean v) { multipleRequestPerLu = v; }
    public boolean isResetTargetSupported() { return resetTargetSupported; }
    public void setResetTargetSupported(boolean v) { resetTargetSupported = v; }
    public SynchronizationModel getSynchronizationMode() { return synchronizationMode; }
    public void setSynchronizationMode(SynchronizationModel v) { synchronizationMode = v; }
    public HwStorMessageSignaledInterruptRoutine<?> getHwMSInterruptRoutine() { return hwMSInterruptRoutine; }
    public <E> void setHwMSInterruptRoutine(HwStorMessageSignaledInterruptRoutine<E> v) { hwMSInterruptRoutine = v; }
    public InterruptSynchronizationMode getInterruptSynchronizationMode() { return interruptSynchronizationMode; }
    public void setInterruptSynchronizationMode(InterruptSynchronizationMode v) { interruptSynchronizationMode = v; }
    public int getMaxIosPerLun() { return maxIosPerLun; }
    public void setMaxIosPerLun(int v) { maxIosPerLun = v; }
    public int getInitialLunQueueDepth() { return initialLunQueueDepth; }
    public void setInitialLunQueueDepth(int v) { initialLunQueueDepth = v; }
    public int getBusResetHoldTime() { return busResetHoldTime; }
    public void setBusResetHoldTime(int v) { busResetHoldTime = v; }
}
