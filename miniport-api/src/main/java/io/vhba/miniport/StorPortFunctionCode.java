package io.vhba.miniport;

/**
 * {@code STORPORT_FUNCTION_CODE} (storport.h): the selector of {@code StorPortExtendedFunction},
 * through which storport.h's inline wrappers reach every routine added after Windows Server
 * 2003 ({@code StorPortInitializeWorker}, {@code StorPortRequestTimer}, {@code StorPortAllocatePool}...).
 * The codes are the header's ({@code ExtFunctionUndefined} is 0); {@link #routine()} names
 * the wrapper, for messages. Which codes vHBA implements is in docs/storport-coverage.md; any
 * other is refused with an {@link UnsupportedOperationException} naming the routine.
 */
public enum StorPortFunctionCode {
    ALLOCATE_POOL(1, "StorPortAllocatePool"),
    FREE_POOL(2, "StorPortFreePool"),
    ALLOCATE_MDL(3, "StorPortAllocateMdl"),
    FREE_MDL(4, "StorPortFreeMdl"),
    BUILD_MDL_FOR_NON_PAGED_POOL(5, "StorPortBuildMdlForNonPagedPool"),
    GET_SYSTEM_ADDRESS(6, "StorPortGetSystemAddress"),
    GET_ORIGINAL_MDL(7, "StorPortGetOriginalMdl"),
    COMPLETE_SERVICE_IRP(8, "StorPortCompleteServiceIrp"),
    GET_DEVICE_OBJECTS(9, "StorPortGetDeviceObjects"),
    BUILD_SCATTER_GATHER_LIST(10, "StorPortBuildScatterGatherList"),
    PUT_SCATTER_GATHER_LIST(11, "StorPortPutScatterGatherList"),
    ACQUIRE_MSI_SPIN_LOCK(12, "StorPortAcquireMSISpinLock"),
    RELEASE_MSI_SPIN_LOCK(13, "StorPortReleaseMSISpinLock"),
    GET_MESSAGE_INTERRUPT_INFORMATION(14, "StorPortGetMSIInfo"),
    INITIALIZE_PERFORMANCE_OPTIMIZATIONS(15, "StorPortInitializePerfOpts"),
    GET_START_IO_PERFORMANCE_PARAMETERS(16, "StorPortGetStartIoPerfParams"),
    LOG_SYSTEM_EVENT(17, "StorPortLogSystemEvent"),
    GET_CURRENT_PROCESSOR_NUMBER(18, "StorPortGetCurrentProcessorNumber"),
    GET_ACTIVE_GROUP_COUNT(19, "StorPortGetActiveGroupCount"),
    GET_GROUP_AFFINITY(20, "StorPortGetGroupAffinity"),
    GET_ACTIVE_NODE_COUNT(21, "StorPortGetActiveNodeCount"),
    GET_NODE_AFFINITY(22, "StorPortGetNodeAffinity"),
    GET_HIGHEST_NODE_NUMBER(23, "StorPortGetHighestNodeNumber"),
    GET_LOGICAL_PROCESSOR_RELATIONSHIP(24, "StorPortGetLogicalProcessorRelationship"),
    ALLOCATE_CONTIGUOUS_MEMORY_SPECIFY_CACHE_NODE(25, "StorPortAllocateContiguousMemorySpecifyCacheNode"),
    FREE_CONTIGUOUS_MEMORY_SPECIFY_CACHE(26, "StorPortFreeContiguousMemorySpecifyCache"),
    SET_POWER_SETTING_NOTIFICATION_GUIDS(27, "StorPortSetPowerSettingNotificationGuids"),
    INVOKE_ACPI_METHOD(28, "StorPortInvokeAcpiMethod"),
    GET_REQUEST_INFO(29, "StorPortGetRequestInfo"),
    INITIALIZE_WORKER(30, "StorPortInitializeWorker"),
    QUEUE_WORK_ITEM(31, "StorPortQueueWorkItem"),
    FREE_WORKER(32, "StorPortFreeWorker"),
    INITIALIZE_TIMER(33, "StorPortInitializeTimer"),
    REQUEST_TIMER(34, "StorPortRequestTimer"),
    FREE_TIMER(35, "StorPortFreeTimer"),
    INITIALIZE_S_LIST_HEAD(36, "StorPortInitializeSListHead"),
    INTERLOCKED_FLUSH_S_LIST(37, "StorPortInterlockedFlushSList"),
    INTERLOCKED_POP_ENTRY_S_LIST(38, "StorPortInterlockedPopEntrySList"),
    INTERLOCKED_PUSH_ENTRY_S_LIST(39, "StorPortInterlockedPushEntrySList"),
    QUERY_DEPTH_S_LIST(40, "StorPortQueryDepthSList"),
    GET_ACTIVITY_ID(41, "StorPortGetActivityIdSrb"),
    GET_SYSTEM_PORT_NUMBER(42, "StorPortGetSystemPortNumber"),
    GET_DATA_IN_BUFFER_MDL(43, "StorPortGetDataInBufferMdl"),
    GET_DATA_IN_BUFFER_SYSTEM_ADDRESS(44, "StorPortGetDataInBufferSystemAddress"),
    GET_DATA_IN_BUFFER_SCATTER_GATHER_LIST(45, "StorPortGetDataInBufferScatterGatherList"),
    MARK_DUMP_MEMORY(46, "StorPortMarkDumpMemory"),
    SET_UNIT_ATTRIBUTES(47, "StorPortSetUnitAttributes"),
    QUERY_PERFORMANCE_COUNTER(48, "StorPortQueryPerformanceCounter"),
    INITIALIZE_PO_FX_POWER(49, "StorPortInitializePoFxPower"),
    PO_FX_ACTIVATE_COMPONENT(50, "StorPortPoFxActivateComponent"),
    PO_FX_IDLE_COMPONENT(51, "StorPortPoFxIdleComponent"),
    PO_FX_SET_COMPONENT_LATENCY(52, "StorPortPoFxSetComponentLatency"),
    PO_FX_SET_COMPONENT_RESIDENCY(53, "StorPortPoFxSetComponentResidency"),
    PO_FX_POWER_CONTROL(54, "StorPortPoFxPowerControl"),
    FLUSH_DATA_BUFFER_MDL(55, "StorPortFlushDataBufferMdl"),
    DEVICE_OPERATION_ALLOWED(56, "StorPortIsDeviceOperationAllowed"),
    GET_PROCESSOR_INDEX_FROM_NUMBER(57, "StorPortGetProcessorIndexFromNumber"),
    PO_FX_SET_IDLE_TIMEOUT(58, "StorPortPoFxSetIdleTimeout"),
    MINIPORT_ETW_EVENT2(59, "StorPortEtwEvent2"),
    MINIPORT_ETW_EVENT4(60, "StorPortEtwEvent4"),
    MINIPORT_ETW_EVENT8(61, "StorPortEtwEvent8"),
    CURRENT_OS_INSTALLATION_UPGRADE(62, "StorPortIsCurrentOsInstallationUpgrade"),
    REGISTRY_READ_ADAPTER_KEY(63, "StorPortRegistryReadAdapterKey"),
    REGISTRY_WRITE_ADAPTER_KEY(64, "StorPortRegistryWriteAdapterKey"),
    SET_ADAPTER_BUS_TYPE(65, "StorPortSetAdapterBusType"),
    PO_FX_REGISTER_PERF_STATES(66, "StorPortPoFxRegisterPerfStates"),
    PO_FX_SET_PERF_STATE(67, "StorPortPoFxSetPerfState"),
    GET_D3_COLD_SUPPORT(68, "StorPortGetD3ColdSupport"),
    INITIALIZE_RPMB(69, "StorPortInitializeRpmb"),
    ALLOCATE_HMB(70, "StorPortAllocateHostMemoryBuffer"),
    FREE_HMB(71, "StorPortFreeHostMemoryBuffer"),
    PROPAGATE_IRP_EXTENSION(72, "StorPortPropagateIrpExtension"),
    INTERLOCKED_INSERT_HEAD_LIST(73, "StorPortInterlockedInsertHeadList"),
    INTERLOCKED_INSERT_TAIL_LIST(74, "StorPortInterlockedInsertTailList"),
    INTERLOCKED_REMOVE_HEAD_LIST(75, "StorPortInterlockedRemoveHeadList"),
    INITIALIZE_SPINLOCK(76, "StorPortInitializeSpinlock"),
    GET_PFNS(77, "StorPortGetPfns"),
    INITIALIZE_CRYPTO_ENGINE(78, "StorPortInitializeCryptoEngine"),
    GET_REQUEST_CRYPTO_INFO(79, "StorPortGetRequestCryptoInfo"),
    MINIPORT_TELEMETRY(80, "StorPortLogTelemetry"),
    UPDATE_ADAPTER_MAX_IO(81, "StorPortUpdateAdapterMaxIO");

    private final int code;
    private final String routine;

    StorPortFunctionCode(int code, String routine) {
        this.code = code;
        this.routine = routine;
    }

    public int code() {
        return code;
    }

    /** The storport.h routine that passes this code. */
    public String routine() {
        return routine;
    }
}
