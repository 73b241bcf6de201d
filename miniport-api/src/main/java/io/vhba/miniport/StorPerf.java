package io.vhba.miniport;

/**
 * {@code STOR_PERF_*} (storport.h): the optimisation flags of {@link PerfConfigurationData#getFlags()}
 * and the structure versions that introduced them. A flag is valid only with a {@code Version}
 * at least the one named beside it; {@code STOR_PERF_VERSION} is the newest version the port
 * knows.
 */
public final class StorPerf {
    private StorPerf() {}

    /** Storport's completion DPC runs on the processor that issued the request (version 2). */
    public static final int STOR_PERF_DPC_REDIRECTION = 0x00000001;
    /** HwStorStartIo may run on several processors at once, without the StartIo lock (version 2). */
    public static final int STOR_PERF_CONCURRENT_CHANNELS = 0x00000002;
    /** The messages First..LastRedirectionMessageNumber serve DPC redirection; requires DPC_REDIRECTION (version 2). */
    public static final int STOR_PERF_INTERRUPT_MESSAGE_RANGES = 0x00000004;
    /** The port fills MessageTargets and DeviceNode; requires INTERRUPT_MESSAGE_RANGES and DPC_REDIRECTION (version 3). */
    public static final int STOR_PERF_ADV_CONFIG_LOCALITY = 0x00000008;
    /** The miniport completes requests from HwStorStartIo too; requires DPC_REDIRECTION (version 3). */
    public static final int STOR_PERF_OPTIMIZE_FOR_COMPLETION_DURING_STARTIO = 0x00000010;
    /** Redirected DPCs go to the processor that asks for them, not the one that issued the request (version 4). */
    public static final int STOR_PERF_DPC_REDIRECTION_CURRENT_CPU = 0x00000020;
    /** The port builds no scatter/gather list for the miniport (version 5). */
    public static final int STOR_PERF_NO_SGL = 0x00000040;

    public static final int STOR_PERF_VERSION_2 = 2;
    public static final int STOR_PERF_VERSION_3 = 3;
    public static final int STOR_PERF_VERSION_4 = 4;
    public static final int STOR_PERF_VERSION_5 = 5;
    /** The version a miniport sets to be offered every optimisation the port knows. */
    public static final int STOR_PERF_VERSION = STOR_PERF_VERSION_5;
}
