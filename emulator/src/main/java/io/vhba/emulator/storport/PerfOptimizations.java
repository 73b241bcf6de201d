package io.vhba.emulator.storport;

import io.vhba.emulator.kernel.Irql;
import io.vhba.emulator.kernel.KInterrupt;
import io.vhba.emulator.kernel.KProcessor;
import io.vhba.emulator.kernel.KSpinLock;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.GroupAffinity;
import io.vhba.miniport.PerfConfigurationData;
import io.vhba.miniport.StartIoPerformanceParameters;
import io.vhba.miniport.StorPerf;
import io.vhba.miniport.StorStatus;
import io.vhba.miniport.SynchronizationModel;

/**
 * {@code StorPortInitializePerfOpts} and {@code StorPortGetStartIoPerfParams} for one adapter
 * (storport.h, PERF_CONFIGURATION_DATA): which optimisations the port offers, which the miniport
 * set, and what they change on the request path.
 * <ul>
 * <li><b>DPC redirection</b>: Storport's completion DPC runs on the processor that issued the
 * request ({@link #completionProcessor}), so the answer leaves on the connection's own event loop
 * even when the interrupt came elsewhere; with {@code DPC_REDIRECTION_CURRENT_CPU}, on the
 * processor that completed it (what the port does without redirection).</li>
 * <li><b>Concurrent channels</b>: HwStorStartIo runs without the StartIo lock, on up to
 * {@code ConcurrentChannels} processors at once ({@link #channelLock}). The miniport then guards
 * its shared state itself (its MSI or StartIo lock); the verifier still checks IRQL, lock order and
 * completion rules, but cannot see a data race the miniport leaves open.</li>
 * <li><b>Interrupt message ranges</b> and <b>locality</b>: the messages First..Last serve the
 * redirection; {@link #startIoParameters} names the one aimed at the issuing processor, and the
 * port reports each message's processor in MessageTargets.</li>
 * </ul>
 */
final class PerfOptimizations {

    /** One STOR_PERF flag: its bit, the structure version that introduced it, the flags it needs, whether vHBA does it. */
    enum Option {
        DPC_REDIRECTION(StorPerf.STOR_PERF_DPC_REDIRECTION, StorPerf.STOR_PERF_VERSION_2, 0, true),
        CONCURRENT_CHANNELS(StorPerf.STOR_PERF_CONCURRENT_CHANNELS, StorPerf.STOR_PERF_VERSION_2, 0, true),
        INTERRUPT_MESSAGE_RANGES(StorPerf.STOR_PERF_INTERRUPT_MESSAGE_RANGES, StorPerf.STOR_PERF_VERSION_2,
                StorPerf.STOR_PERF_DPC_REDIRECTION, true),
        ADV_CONFIG_LOCALITY(StorPerf.STOR_PERF_ADV_CONFIG_LOCALITY, StorPerf.STOR_PERF_VERSION_3,
                StorPerf.STOR_PERF_DPC_REDIRECTION | StorPerf.STOR_PERF_INTERRUPT_MESSAGE_RANGES, true),
        /** Completions made in StartIo already wait in the completion DPC until StartIo returns: nothing else to do. */
        OPTIMIZE_FOR_COMPLETION_DURING_STARTIO(StorPerf.STOR_PERF_OPTIMIZE_FOR_COMPLETION_DURING_STARTIO,
                StorPerf.STOR_PERF_VERSION_3, StorPerf.STOR_PERF_DPC_REDIRECTION, true),
        DPC_REDIRECTION_CURRENT_CPU(StorPerf.STOR_PERF_DPC_REDIRECTION_CURRENT_CPU, StorPerf.STOR_PERF_VERSION_4,
                StorPerf.STOR_PERF_DPC_REDIRECTION, true),
        /** Not offered: every miniport here gets its SRB's scatter/gather list from the port. */
        NO_SGL(StorPerf.STOR_PERF_NO_SGL, StorPerf.STOR_PERF_VERSION_5, 0, false);

        final int bit;
        final int sinceVersion;
        final int requires;
        final boolean offered;

        Option(int bit, int sinceVersion, int requires, boolean offered) {
            this.bit = bit;
            this.sinceVersion = sinceVersion;
            this.requires = requires;
            this.offered = offered;
        }
    }

    /** The optimisations in force after a successful set. */
    record Settings(int flags, int channels, int firstMessage, int lastMessage) {
        static final Settings NONE = new Settings(0, 0, 0, -1);

        boolean has(int flag) {
            return (flags & flag) != 0;
        }

        /** The completion DPC goes to the issuing processor. */
        boolean redirectsToIssuer() {
            return has(StorPerf.STOR_PERF_DPC_REDIRECTION) && !has(StorPerf.STOR_PERF_DPC_REDIRECTION_CURRENT_CPU);
        }
    }

    private final Adapter a;
    private volatile Settings settings = Settings.NONE;
    /** One lock per channel when processors must share channels; null when each processor is a channel of its own. */
    private volatile KSpinLock[][] channelLocks;

    PerfOptimizations(Adapter adapter) {
        this.a = adapter;
    }

    Settings settings() {
        return settings;
    }

    /** The flags the port offers at {@code version}. */
    static int offered(int version) {
        int flags = 0;
        for (Option o : Option.values()) {
            if (o.offered && version >= o.sinceVersion) {
                flags |= o.bit;
            }
        }
        return flags;
    }

    // ---- StorPortInitializePerfOpts ----------------------------------------------------------

    /** The routine itself: a {@link StorStatus}. */
    int initialize(boolean query, PerfConfigurationData data) {
        if (data == null) {
            // SDV StorPortPerfOpts: PerfConfigData must not be NULL
            a.verifyFailed(VerifierRule.PERF_OPTS_WITHOUT_DATA, 0, 0, "StorPortInitializePerfOpts with a NULL PerfConfigData");
            return StorStatus.STOR_STATUS_INVALID_PARAMETER;
        }
        if (!a.inPhase(InitPhase.HW_INITIALIZE) && !a.inPhase(InitPhase.PASSIVE_INITIALIZE)) {
            return StorStatus.STOR_STATUS_UNSUCCESSFUL; // documented: only from HwStorInitialize or the passive routine
        }
        if (data.getSize() < PerfConfigurationData.SIZE || data.getVersion() < StorPerf.STOR_PERF_VERSION_2) {
            return StorStatus.STOR_STATUS_INVALID_PARAMETER;
        }
        if (query) {
            data.setFlags(offered(data.getVersion()));
            return StorStatus.STOR_STATUS_SUCCESS;
        }
        int flags = data.getFlags();
        if ((flags & ~offered(data.getVersion())) != 0) {
            return StorStatus.STOR_STATUS_UNSUCCESSFUL; // a flag the port does not recognise at this version
        }
        for (Option o : Option.values()) {
            if ((flags & o.bit) != 0 && (flags & o.requires) != o.requires) {
                return StorStatus.STOR_STATUS_UNSUCCESSFUL;
            }
        }
        int processors = a.kernel.processors().size();
        int messages = a.interrupts.length;
        int channels = 0;
        if ((flags & StorPerf.STOR_PERF_CONCURRENT_CHANNELS) != 0) {
            if (data.getConcurrentChannels() < 1) {
                return StorStatus.STOR_STATUS_INVALID_PARAMETER;
            }
            if (a.config.getSynchronizationMode() == SynchronizationModel.HALF_DUPLEX) {
                return StorStatus.STOR_STATUS_UNSUCCESSFUL; // vHBA's choice: half-duplex StartIo needs the interrupt lock
            }
            channels = Math.min(data.getConcurrentChannels(), processors);
        }
        int first = 0;
        int last = messages - 1;
        if ((flags & StorPerf.STOR_PERF_INTERRUPT_MESSAGE_RANGES) != 0) {
            first = data.getFirstRedirectionMessageNumber();
            last = data.getLastRedirectionMessageNumber();
            if (first < 0 || first > last || last >= messages) {
                return StorStatus.STOR_STATUS_INVALID_PARAMETER;
            }
        }
        if ((flags & StorPerf.STOR_PERF_ADV_CONFIG_LOCALITY) != 0) {
            GroupAffinity[] targets = data.getMessageTargets();
            if (targets == null || targets.length < messages) {
                return StorStatus.STOR_STATUS_INVALID_PARAMETER;
            }
            for (int m = 0; m < messages; m++) {
                targets[m] = new GroupAffinity(1L << a.interrupts[m].affinity().number(), 0);
            }
            data.setDeviceNode(0); // one NUMA node holds every processor
        }
        channelLocks = channels > 0 && channels < processors ? buildChannelLocks(channels) : null;
        settings = new Settings(flags, channels, first, last);
        return StorStatus.STOR_STATUS_SUCCESS;
    }

    private KSpinLock[][] buildChannelLocks(int channels) {
        KSpinLock[][] locks = new KSpinLock[channels][];
        for (int c = 0; c < channels; c++) {
            // the port's own lock, which the miniport never sees: not order-checked
            locks[c] = new KSpinLock[] {new KSpinLock(a.name() + " StartIo channel " + c, Irql.DISPATCH_LEVEL, KSpinLock.RANK_NONE)};
        }
        return locks;
    }

    // ---- what the settings change on the request path ---------------------------------------

    /** Whether StartIo runs with no StartIo lock: concurrent channels, from the port configuration or from a set. */
    boolean concurrentChannels() {
        return settings.has(StorPerf.STOR_PERF_CONCURRENT_CHANNELS)
                || a.config.getSynchronizationMode() == SynchronizationModel.CONCURRENT_CHANNELS;
    }

    /** The channel a StartIo on the calling processor uses (the port's issue path always runs on a processor). */
    int channel() {
        int channels = settings.channels();
        if (channels == 0) {
            return 0;
        }
        KProcessor p = a.kernel.currentProcessor();
        return p == null ? 0 : p.number() % channels;
    }

    /**
     * The lock that keeps a channel to one StartIo at a time, or null when each processor is a channel of its
     * own: a processor runs one StartIo at a time anyway.
     */
    KSpinLock[] channelLock() {
        KSpinLock[][] locks = channelLocks;
        return locks == null ? null : locks[channel()];
    }

    /** The processor whose completion DPC returns {@code srb}: the issuing one with DPC redirection, else {@code current}. */
    int completionProcessor(EngineSrb srb, int current) {
        return settings.redirectsToIssuer() && srb.issuedOnProcessor >= 0 ? srb.issuedOnProcessor : current;
    }

    // ---- StorPortGetStartIoPerfParams --------------------------------------------------------

    int startIoParameters(Object srb, StartIoPerformanceParameters p) {
        if (p == null || !(srb instanceof EngineSrb s) || s.adapter != a || s.state != SrbState.MINIPORT
                || p.getSize() < StartIoPerformanceParameters.SIZE) {
            return StorStatus.STOR_STATUS_INVALID_PARAMETER;
        }
        p.setVersion(StartIoPerformanceParameters.VERSION);
        p.setMessageNumber(message());
        p.setChannelNumber(concurrentChannels() ? channel() : 0);
        return StorStatus.STOR_STATUS_SUCCESS;
    }

    /** The message of the redirection range (every message without one) aimed at the calling processor; 0 without MSI-X. */
    private int message() {
        KInterrupt[] kis = a.interrupts;
        if (kis.length == 0 || kis[0].isLevelTriggered()) {
            return 0;
        }
        Settings s = settings;
        int first = s.has(StorPerf.STOR_PERF_INTERRUPT_MESSAGE_RANGES) ? s.firstMessage() : 0;
        int last = s.has(StorPerf.STOR_PERF_INTERRUPT_MESSAGE_RANGES) ? s.lastMessage() : kis.length - 1;
        KProcessor p = a.kernel.currentProcessor();
        int cpu = p == null ? 0 : p.number();
        for (int m = first; m <= last; m++) {
            if (kis[m].affinity().number() == cpu) {
                return m;
            }
        }
        return first + cpu % (last - first + 1); // fewer messages than processors: share them out
    }
}
