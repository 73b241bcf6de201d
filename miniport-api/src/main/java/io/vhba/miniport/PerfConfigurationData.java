package io.vhba.miniport;

/**
 * {@code PERF_CONFIGURATION_DATA}: the argument of {@code StorPortInitializePerfOpts}. The
 * miniport fills {@code Version} and {@code Size}; a query returns the flags the port supports
 * in {@code Flags}; a set asks for the optimisations in {@code Flags}, with
 * {@code ConcurrentChannels} and the redirection message range where those flags need them.
 * With {@link StorPerf#STOR_PERF_ADV_CONFIG_LOCALITY} the port writes one {@link GroupAffinity}
 * per MSI-X message into {@code MessageTargets}, an array the miniport supplies, and sets
 * {@code DeviceNode}.
 *
 * <p>A mutable in/out structure, as in C.
 */
public final class PerfConfigurationData {
    /** {@code sizeof(PERF_CONFIGURATION_DATA)} on x64: eight ULONGs and a pointer. */
    public static final int SIZE = 40;

    private int version;
    private int size;
    private int flags;
    private int concurrentChannels;
    private int firstRedirectionMessageNumber;
    private int lastRedirectionMessageNumber;
    private int deviceNode;
    private GroupAffinity[] messageTargets;

    /** A structure with {@code Version} = {@link StorPerf#STOR_PERF_VERSION} and {@code Size} = {@link #SIZE}, everything else 0. */
    public static PerfConfigurationData current() {
        PerfConfigurationData d = new PerfConfigurationData();
        d.setVersion(StorPerf.STOR_PERF_VERSION);
        d.setSize(SIZE);
        return d;
    }

    public int getVersion() { return version; }
    public void setVersion(int v) { version = v; }
    public int getSize() { return size; }
    public void setSize(int v) { size = v; }
    /** A bitwise OR of {@link StorPerf} flags. */
    public int getFlags() { return flags; }
    public void setFlags(int v) { flags = v; }
    /** How many HwStorStartIo calls may run at once; read with {@link StorPerf#STOR_PERF_CONCURRENT_CHANNELS} only. */
    public int getConcurrentChannels() { return concurrentChannels; }
    public void setConcurrentChannels(int v) { concurrentChannels = v; }
    /** Read with {@link StorPerf#STOR_PERF_INTERRUPT_MESSAGE_RANGES} only. */
    public int getFirstRedirectionMessageNumber() { return firstRedirectionMessageNumber; }
    public void setFirstRedirectionMessageNumber(int v) { firstRedirectionMessageNumber = v; }
    /** Read with {@link StorPerf#STOR_PERF_INTERRUPT_MESSAGE_RANGES} only. */
    public int getLastRedirectionMessageNumber() { return lastRedirectionMessageNumber; }
    public void setLastRedirectionMessageNumber(int v) { lastRedirectionMessageNumber = v; }
    /** The NUMA node of the device; written by the port with {@link StorPerf#STOR_PERF_ADV_CONFIG_LOCALITY}. */
    public int getDeviceNode() { return deviceNode; }
    public void setDeviceNode(int v) { deviceNode = v; }
    /** One entry per MSI-X message, supplied by the miniport and filled by the port with {@link StorPerf#STOR_PERF_ADV_CONFIG_LOCALITY}. */
    public GroupAffinity[] getMessageTargets() { return messageTargets; }
    public void setMessageTargets(GroupAffinity[] v) { messageTargets = v; }
}
