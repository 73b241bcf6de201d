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

    // ---- register and port buffers, I/O ports ----------------------------------------
    // vHBA has no separate x86 I/O space: every BAR is a window on the MmioBus, and the Port
    // routines reach it exactly as the Register routines do, with the same map checks.
    // These and the routines below are default methods that refuse loudly, so test doubles
    // of StorPort written before them still compile; the engine implements every one.

    /**
     * {@code StorPortReadRegisterBufferUchar}: {@code count} values from consecutive register
     * addresses starting at {@code register} (wdm.h implements it as a {@code movs} copy). The
     * Port buffer routines, by contrast, read or write the same port {@code count} times ({@code rep ins/outs}).
     */
    default void readRegisterBufferUchar(Object hwDeviceExtension, long register, byte[] buffer, int count) {
        throw notProvided("StorPortReadRegisterBufferUchar");
    }

    default void readRegisterBufferUshort(Object hwDeviceExtension, long register, short[] buffer, int count) {
        throw notProvided("StorPortReadRegisterBufferUshort");
    }

    default void readRegisterBufferUlong(Object hwDeviceExtension, long register, int[] buffer, int count) {
        throw notProvided("StorPortReadRegisterBufferUlong");
    }

    default void readRegisterBufferUlong64(Object hwDeviceExtension, long register, long[] buffer, int count) {
        throw notProvided("StorPortReadRegisterBufferUlong64");
    }

    /** {@code StorPortWriteRegisterBufferUchar}: {@code count} values to consecutive register addresses. */
    default void writeRegisterBufferUchar(Object hwDeviceExtension, long register, byte[] buffer, int count) {
        throw notProvided("StorPortWriteRegisterBufferUchar");
    }

    default void writeRegisterBufferUshort(Object hwDeviceExtension, long register, short[] buffer, int count) {
        throw notProvided("StorPortWriteRegisterBufferUshort");
    }

    default void writeRegisterBufferUlong(Object hwDeviceExtension, long register, int[] buffer, int count) {
        throw notProvided("StorPortWriteRegisterBufferUlong");
    }

    default void writeRegisterBufferUlong64(Object hwDeviceExtension, long register, long[] buffer, int count) {
        throw notProvided("StorPortWriteRegisterBufferUlong64");
    }

    default byte readPortUchar(Object hwDeviceExtension, long port) { throw notProvided("StorPortReadPortUchar"); }

    default short readPortUshort(Object hwDeviceExtension, long port) { throw notProvided("StorPortReadPortUshort"); }

    default int readPortUlong(Object hwDeviceExtension, long port) { throw notProvided("StorPortReadPortUlong"); }

    default void writePortUchar(Object hwDeviceExtension, long port, byte value) { throw notProvided("StorPortWritePortUchar"); }

    default void writePortUshort(Object hwDeviceExtension, long port, short value) { throw notProvided("StorPortWritePortUshort"); }

    default void writePortUlong(Object hwDeviceExtension, long port, int value) { throw notProvided("StorPortWritePortUlong"); }

    default void readPortBufferUchar(Object hwDeviceExtension, long port, byte[] buffer, int count) {
        throw notProvided("StorPortReadPortBufferUchar");
    }

    default void readPortBufferUshort(Object hwDeviceExtension, long port, short[] buffer, int count) {
        throw notProvided("StorPortReadPortBufferUshort");
    }

    default void readPortBufferUlong(Object hwDeviceExtension, long port, int[] buffer, int count) {
        throw notProvided("StorPortReadPortBufferUlong");
    }

    default void writePortBufferUchar(Object hwDeviceExtension, long port, byte[] buffer, int count) {
        throw notProvided("StorPortWritePortBufferUchar");
    }

    default void writePortBufferUshort(Object hwDeviceExtension, long port, short[] buffer, int count) {
        throw notProvided("StorPortWritePortBufferUshort");
    }

    default void writePortBufferUlong(Object hwDeviceExtension, long port, int[] buffer, int count) {
        throw notProvided("StorPortWritePortBufferUlong");
    }

    // ---- queue management (STORPORT.md, "Timers, pause, busy, queue depth") ------------

    /** {@code StorPortPause}: holds every request to the adapter until {@link #resume} or {@code timeoutSeconds} pass. */
    default boolean pause(Object hwDeviceExtension, int timeoutSeconds) { throw notProvided("StorPortPause"); }

    /** {@code StorPortResume}. */
    default boolean resume(Object hwDeviceExtension) { throw notProvided("StorPortResume"); }

    /** {@code StorPortPauseDevice}: the same for one logical unit. */
    default boolean pauseDevice(Object hwDeviceExtension, int pathId, int targetId, int lun, int timeoutSeconds) {
        throw notProvided("StorPortPauseDevice");
    }

    /** {@code StorPortResumeDevice}. */
    default boolean resumeDevice(Object hwDeviceExtension, int pathId, int targetId, int lun) {
        throw notProvided("StorPortResumeDevice");
    }

    /**
     * {@code StorPortBusy}: no new request reaches the adapter until {@code requestsToComplete}
     * outstanding ones complete (all of them, if fewer are outstanding) or {@link #ready}.
     */
    default boolean busy(Object hwDeviceExtension, int requestsToComplete) { throw notProvided("StorPortBusy"); }

    /** {@code StorPortReady}. */
    default boolean ready(Object hwDeviceExtension) { throw notProvided("StorPortReady"); }

    /** {@code StorPortDeviceBusy}: {@link #busy} for one logical unit. */
    default boolean deviceBusy(Object hwDeviceExtension, int pathId, int targetId, int lun, int requestsToComplete) {
        throw notProvided("StorPortDeviceBusy");
    }

    /** {@code StorPortDeviceReady}. */
    default boolean deviceReady(Object hwDeviceExtension, int pathId, int targetId, int lun) {
        throw notProvided("StorPortDeviceReady");
    }

    /**
     * {@code StorPortCompleteRequest}: completes every request the miniport holds for the
     * address with {@code srbStatus}; {@code 0xFF} ({@code SP_UNTAGGED}) in a field means all.
     */
    default void completeRequest(Object hwDeviceExtension, int pathId, int targetId, int lun, SrbStatus srbStatus) {
        throw notProvided("StorPortCompleteRequest");
    }

    // ---- StorPortExtendedFunction and its wrappers -----------------------------------

    /**
     * {@code StorPortExtendedFunction}: the result is the C call's out-parameter when it has
     * one (a {@link MemoryBuffer} for AllocatePool, a {@link PerformanceCounter} for
     * QueryPerformanceCounter), else its {@link StorStatus} as an {@link Integer}.
     */
    default Object extendedFunction(StorPortFunctionCode function, Object hwDeviceExtension, Object... arguments) {
        throw notProvided(function.routine());
    }

    /** {@code StorPortInitializeWorker}: binds {@code worker}; returns a {@link StorStatus}. */
    default int initializeWorker(Object hwDeviceExtension, StorWorker worker) {
        return (Integer) extendedFunction(StorPortFunctionCode.INITIALIZE_WORKER, hwDeviceExtension, worker);
    }

    /** {@code StorPortQueueWorkItem}: STOR_STATUS_BUSY while {@code worker} is still queued. */
    default <E> int queueWorkItem(E hwDeviceExtension, HwStorWorkItem<E> callback, StorWorker worker, Object context) {
        return (Integer) extendedFunction(StorPortFunctionCode.QUEUE_WORK_ITEM, hwDeviceExtension, callback, worker, context);
    }

    /** {@code StorPortFreeWorker}. */
    default int freeWorker(Object hwDeviceExtension, StorWorker worker) {
        return (Integer) extendedFunction(StorPortFunctionCode.FREE_WORKER, hwDeviceExtension, worker);
    }

    /** {@code StorPortInitializeTimer}: binds {@code timer}; returns a {@link StorStatus}. */
    default int initializeTimer(Object hwDeviceExtension, StorTimer timer) {
        return (Integer) extendedFunction(StorPortFunctionCode.INITIALIZE_TIMER, hwDeviceExtension, timer);
    }

    /**
     * {@code StorPortRequestTimer}: one shot after {@code timerValueMicros}; 0 cancels. While a
     * previous request is pending the call returns STOR_STATUS_BUSY (storport.h).
     */
    default <E> int requestTimer(E hwDeviceExtension, StorTimer timer, HwStorTimerEx<E> callback, Object context,
                                 long timerValueMicros, long tolerableDelayMicros) {
        return (Integer) extendedFunction(StorPortFunctionCode.REQUEST_TIMER, hwDeviceExtension, timer, callback, context,
                timerValueMicros, tolerableDelayMicros);
    }

    /** {@code StorPortFreeTimer}: cancels a pending request first. */
    default int freeTimer(Object hwDeviceExtension, StorTimer timer) {
        return (Integer) extendedFunction(StorPortFunctionCode.FREE_TIMER, hwDeviceExtension, timer);
    }

    /** {@code StorPortAllocatePool}: non-paged memory tagged {@code tag}; null when it cannot be had. */
    default MemoryBuffer allocatePool(Object hwDeviceExtension, int numberOfBytes, int tag) {
        return (MemoryBuffer) extendedFunction(StorPortFunctionCode.ALLOCATE_POOL, hwDeviceExtension, numberOfBytes, tag);
    }

    /** {@code StorPortFreePool}: freeing twice (or what the pool did not give) is a verifier finding. */
    default int freePool(Object hwDeviceExtension, MemoryBuffer buffer) {
        return (Integer) extendedFunction(StorPortFunctionCode.FREE_POOL, hwDeviceExtension, buffer);
    }

    /** {@code StorPortQueryPerformanceCounter}. */
    default PerformanceCounter queryPerformanceCounter(Object hwDeviceExtension) {
        return (PerformanceCounter) extendedFunction(StorPortFunctionCode.QUERY_PERFORMANCE_COUNTER, hwDeviceExtension);
    }

    /**
     * {@code StorPortInitializePerfOpts}: with {@code query}, the port writes the flags it supports into
     * {@code data}; without, it applies the optimisations {@code data} asks for. Legal only in
     * HwStorInitialize and the passive initialisation routine. Returns a {@link StorStatus}.
     */
    default int initializePerfOpts(Object hwDeviceExtension, boolean query, PerfConfigurationData data) {
        return (Integer) extendedFunction(StorPortFunctionCode.INITIALIZE_PERFORMANCE_OPTIMIZATIONS, hwDeviceExtension,
                query, data);
    }

    /**
     * {@code StorPortGetStartIoPerfParams}: the MSI-X message and concurrent channel of {@code srb}, the request
     * HwStorStartIo was given. Returns a {@link StorStatus}.
     */
    default int getStartIoPerfParams(Object hwDeviceExtension, Srb srb, StartIoPerformanceParameters parameters) {
        return (Integer) extendedFunction(StorPortFunctionCode.GET_START_IO_PERFORMANCE_PARAMETERS, hwDeviceExtension,
                srb, parameters);
    }

    /** {@code StorPortGetActiveGroupCount}: processor groups in the (simulated) machine. */
    default int getActiveGroupCount(Object hwDeviceExtension) {
        return (Integer) extendedFunction(StorPortFunctionCode.GET_ACTIVE_GROUP_COUNT, hwDeviceExtension);
    }

    /** {@code StorPortGetGroupAffinity}: the mask of active processors in {@code groupNumber}; 0 for no such group. */
    default long getGroupAffinity(Object hwDeviceExtension, int groupNumber) {
        return (Long) extendedFunction(StorPortFunctionCode.GET_GROUP_AFFINITY, hwDeviceExtension, groupNumber);
    }

    /** {@code StorPortGetActiveNodeCount}: NUMA nodes. */
    default int getActiveNodeCount(Object hwDeviceExtension) {
        return (Integer) extendedFunction(StorPortFunctionCode.GET_ACTIVE_NODE_COUNT, hwDeviceExtension);
    }

    /** {@code StorPortGetNodeAffinity}: the processor mask (of group 0) of {@code nodeNumber}; 0 for no such node. */
    default long getNodeAffinity(Object hwDeviceExtension, int nodeNumber) {
        return (Long) extendedFunction(StorPortFunctionCode.GET_NODE_AFFINITY, hwDeviceExtension, nodeNumber);
    }

    /** {@code StorPortGetHighestNodeNumber}. */
    default int getHighestNodeNumber(Object hwDeviceExtension) {
        return (Integer) extendedFunction(StorPortFunctionCode.GET_HIGHEST_NODE_NUMBER, hwDeviceExtension);
    }

    /**
     * {@code StorPortFreeDeviceBase}: unmaps what {@link #getDeviceBase} mapped; register access
     * through it afterwards is a verifier finding, as is freeing an address never mapped.
     */
    default void freeDeviceBase(Object hwDeviceExtension, long mappedAddress) {
        throw notProvided("StorPortFreeDeviceBase");
    }

    /** {@code StorPortQuerySystemTime}: 100 ns intervals since 1601-01-01 UTC, as {@code KeQuerySystemTime}. */
    default long querySystemTime(Object hwDeviceExtension) { throw notProvided("StorPortQuerySystemTime"); }

    private UnsupportedOperationException notProvided(String routine) {
        return new UnsupportedOperationException(routine + " is not provided by " + getClass().getName());
    }

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
