package io.vhba.miniport;

/**
 * The Storport routines a miniport calls ({@code StorPort*} in storport.h). The first
 * argument is the adapter's device extension, exactly as in C, so one {@code StorPort}
 * serves every adapter of a driver.
 *
 * <p>Every call is checked by the port's verifier against the IRQL and lock state of the
 * calling thread (STORPORT.md). A violation is a bug check, not an exception the miniport
 * can catch and ignore.
 */
public interface StorPort {

    // ---- initialisation --------------------------------------------------------------

    /**
     * {@code StorPortInitialize}: called from {@code DriverEntry}. Returns
     * {@link NtStatus#STATUS_REVISION_MISMATCH} when FindAdapter, Initialize, StartIo or
     * ResetBus is missing.
     */
    int initialize(DriverObject driverObject, String registryPath, HwInitializationData<?> data, Object hwContext);

    // ---- notifications ---------------------------------------------------------------

    /**
     * {@code StorPortNotification}: the arguments after the device extension are those of
     * the C call; an out-parameter of the C call is this method's result (a
     * {@link Boolean} for {@code IssueDpc} and {@code EnablePassiveInitialization}, a
     * {@link Long} for {@code QueryTickCount}), otherwise null.
     */
    Object notification(NotificationType type, Object hwDeviceExtension, Object... arguments);

    /** The same with a raw {@code SCSI_NOTIFICATION_TYPE} code, as C allows; an undocumented code is a verifier finding. */
    Object notification(int notificationType, Object hwDeviceExtension, Object... arguments);

    /** {@code StorPortEnablePassiveInitialization}: legal only from {@code HwStorInitialize}; false anywhere else. */
    default <E> boolean enablePassiveInitialization(E hwDeviceExtension, HwStorPassiveInitializeRoutine<E> routine) {
        return (Boolean) notification(NotificationType.ENABLE_PASSIVE_INITIALIZATION, hwDeviceExtension, routine);
    }

    /** {@code StorPortInitializeDpc}: legal only from the passive initialisation routine. */
    default <E> void initializeDpc(E hwDeviceExtension, StorDpc dpc, HwStorDpcRoutine<E> routine) {
        notification(NotificationType.INITIALIZE_DPC, hwDeviceExtension, dpc, routine);
    }

    /** {@code StorPortIssueDpc}: false, and nothing done, when the DPC is already queued. */
    default boolean issueDpc(Object hwDeviceExtension, StorDpc dpc, Object systemArgument1, Object systemArgument2) {
        return (Boolean) notification(NotificationType.ISSUE_DPC, hwDeviceExtension, dpc, systemArgument1, systemArgument2);
    }

    /** {@code StorPortAcquireSpinLock}. For {@link SpinLockType#DPC_LOCK} the context is the {@link StorDpc}. */
    default void acquireSpinLock(Object hwDeviceExtension, SpinLockType lock, Object lockContext, StorLockHandle lockHandle) {
        notification(NotificationType.ACQUIRE_SPIN_LOCK, hwDeviceExtension, lock, lockContext, lockHandle);
    }

    /** {@code StorPortReleaseSpinLock}. */
    default void releaseSpinLock(Object hwDeviceExtension, StorLockHandle lockHandle) {
        notification(NotificationType.RELEASE_SPIN_LOCK, hwDeviceExtension, lockHandle);
    }

    /** {@code StorPortQueryTickCount} through {@code QueryTickCount}: the count of 15.625 ms ticks since boot. */
    default long queryTickCount(Object hwDeviceExtension) {
        return (Long) notification(NotificationType.QUERY_TICK_COUNT, hwDeviceExtension);
    }

    /**
     * {@code StorPortAcquireMSISpinLock}: takes the lock of one MSI message (with
     * {@link InterruptSynchronizationMode#INTERRUPT_SYNCHRONIZE_PER_MESSAGE}) and raises to its DIRQL.
     *
     * @return the old IRQL, to hand back to {@link #releaseMsiSpinLock}
     */
    int acquireMsiSpinLock(Object hwDeviceExtension, int messageId);

    /** {@code StorPortReleaseMSISpinLock}. */
    void releaseMsiSpinLock(Object hwDeviceExtension, int messageId, int oldIrql);

    /** {@code StorPortGetCurrentProcessorNumber}: the simulated processor the caller runs on. */
    int getCurrentProcessorNumber(Object hwDeviceExtension);

    /** {@code StorPortSynchronizeAccess}: runs {@code routine} holding the interrupt lock. */
    <E> boolean synchronizeAccess(E hwDeviceExtension, HwStorSynchronizedAccess<E> routine, Object context);

    // ---- resources and memory --------------------------------------------------------

    /**
     * {@code StorPortGetDeviceBase}: maps an access range and returns the virtual address of
     * its first register, for the register routines below.
     */
    long getDeviceBase(Object hwDeviceExtension, InterfaceType busType, int systemIoBusNumber,
                       long ioAddress, int numberOfBytes, boolean inIoSpace);

    /**
     * {@code StorPortGetUncachedExtension}: physically contiguous, DMA-able memory. Legal only
     * in {@code HwStorFindAdapter} and only after {@code SrbExtensionSize} is set; one call per adapter.
     */
    MemoryBuffer getUncachedExtension(Object hwDeviceExtension, PortConfigurationInformation config, int numberOfBytes);

    /** {@code StorPortGetPhysicalAddress}: for an address in the SRB's data buffer, its SRB extension, or the uncached extension. */
    PhysicalRange getPhysicalAddress(Object hwDeviceExtension, Srb srb, long virtualAddress);

    /** {@code StorPortGetVirtualAddress}: the inverse, for memory the port gave the miniport. */
    long getVirtualAddress(Object hwDeviceExtension, long physicalAddress);

    /** {@code StorPortGetScatterGatherList}. */
    ScatterGatherList getScatterGatherList(Object hwDeviceExtension, Srb srb);

    /** {@code StorPortGetLogicalUnit}: the miniport's per-LU extension, or null if the LU is unknown. */
    Object getLogicalUnit(Object hwDeviceExtension, int pathId, int targetId, int lun);

    // ---- queues ----------------------------------------------------------------------

    /** {@code StorPortSetDeviceQueueDepth}: legal after the LU's first INQUIRY; false before. */
    boolean setDeviceQueueDepth(Object hwDeviceExtension, int pathId, int targetId, int lun, int depth);

    // ---- registers -------------------------------------------------------------------

    byte readRegisterUchar(Object hwDeviceExtension, long register);

    short readRegisterUshort(Object hwDeviceExtension, long register);

    int readRegisterUlong(Object hwDeviceExtension, long register);

    long readRegisterUlong64(Object hwDeviceExtension, long register);

    void writeRegisterUchar(Object hwDeviceExtension, long register, byte value);

    void writeRegisterUshort(Object hwDeviceExtension, long register, short value);

    void writeRegisterUlong(Object hwDeviceExtension, long register, int value);

    void writeRegisterUlong64(Object hwDeviceExtension, long register, long value);

    // ---- time and diagnostics --------------------------------------------------------

    /** {@code StorPortStallExecution}: busy-waits; more than 0.1 s is a verifier finding (bug check 0xF1/0x2001). */
    void stallExecution(int microseconds);

    /** {@code StorPortDebugPrint}: into the emulator's log. */
    void debugPrint(int debugPrintLevel, String format, Object... arguments);

    /** {@code StorPortLogError}: into the log and the error counters. */
    void logError(Object hwDeviceExtension, Srb srb, int pathId, int targetId, int lun, int errorCode, int uniqueId);

    // ---- the DPC facades beside Storport's own -------------------------------------------

    /**
     * The kernel's {@code Ke*Dpc} routines. Storport lets only virtual miniports call the
     * kernel directly; from a physical miniport each call is a verifier finding
     * (HwStorPortProhibitedDDIs). A port without a kernel (a unit-test fake) throws
     * {@link UnsupportedOperationException}.
     */
    default io.vhba.miniport.kernel.KernelServices kernel() {
        throw new UnsupportedOperationException(getClass().getName() + " has no simulated kernel");
    }

    /**
     * The KMDF-style framework DPC objects ({@code WdfDpc*}, {@code WdfObject*}). A port
     * without a kernel (a unit-test fake) throws {@link UnsupportedOperationException}.
     */
    default io.vhba.miniport.wdf.WdfServices wdf() {
        throw new UnsupportedOperationException(getClass().getName() + " has no simulated kernel");
    }
}
