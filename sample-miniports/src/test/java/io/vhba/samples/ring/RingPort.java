package io.vhba.samples.ring;

import io.vhba.hw.AttachedUnit;
import io.vhba.hw.ControllerOptions;
import io.vhba.miniport.AccessRange;
import io.vhba.miniport.FindAdapterStatus;
import io.vhba.miniport.GroupAffinity;
import io.vhba.miniport.HwStorSynchronizedAccess;
import io.vhba.miniport.InterfaceType;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.PerfConfigurationData;
import io.vhba.miniport.PortConfigurationInformation;
import io.vhba.miniport.SpinLockType;
import io.vhba.miniport.StorLockHandle;
import io.vhba.miniport.StorPortFunctionCode;
import io.vhba.miniport.StorStatus;
import io.vhba.samples.common.HarnessPortRules.Phase;
import io.vhba.samples.common.MsixHarnessPort;
import io.vhba.samples.ring.hw.RingController;
import io.vhba.samples.ring.hw.RingRegister;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntUnaryOperator;

/**
 * A single-threaded Storport for the ring miniport and its real controller: routines run on the
 * test thread, MSI-X messages and DPCs are delivered when the test pumps, and the rules the sample
 * cites are checked (a violation is an {@link AssertionError}, standing in for bug check 0xF1).
 * Beyond {@link MsixHarnessPort} (current processor, MSI locks, interrupt delivery, uncached
 * extension) it models the processors (group count and affinity), StorPortInitializePerfOpts (what
 * it offers, where each message is aimed), the StartIo lock (not held around StartIo once
 * concurrent channels are granted) and the interrupt lock that covers every MSI lock.
 */
final class RingPort extends MsixHarnessPort<RingExtension, RingController> {
    private static final Bar0Window BAR0 = new Bar0Window(0xFE20_0000L, 0xFFFF_F000_0020_0000L, RingRegister.BAR0_SIZE);

    /** Simulated processors. */
    final int processors;
    /** What StorPortInitializePerfOpts offers in a query; 0: the routine is not implemented. */
    int offeredPerf = 0x3F;
    /** The processor MSI-X message {@code m} is aimed at. */
    IntUnaryOperator messageTarget;
    /** Every StorPortInitializePerfOpts call: "query" or "set FLAGS channels=C range=F-L". */
    final List<String> perfCalls = new ArrayList<>();
    int grantedPerf;
    private boolean startIoLockHeld;
    private boolean resetting;

    RingPort(int processors, ControllerOptions options, AttachedUnit... units) {
        super(8192, BAR0, new RingController(options), units);
        this.processors = processors;
        this.messageTarget = m -> m % processors;
    }

    /** DriverEntry, FindAdapter, HwInitialize (interrupt lock held) and passive initialisation. Returns FindAdapter's answer. */
    FindAdapterStatus start(int messageCount) {
        return startAdapter(new RingMiniport(), "ring", "\\Registry\\Machine\\System\\ring",
                () -> new PortConfigurationInformation(0, InterfaceType.PCI_BUS,
                        List.of(new AccessRange(BAR0.busAddress(), BAR0.length(), true)), messageCount, false), null);
    }

    @Override
    public boolean resetBus() {
        resetting = true;
        try {
            return super.resetBus();
        } finally {
            resetting = false;
        }
    }

    /** HwInitialize runs at DIRQL holding the interrupt lock: every message's lock. */
    @Override
    protected boolean initializeAdapter() {
        return underInterruptLock(super::initializeAdapter);
    }

    /** StartIo holds the StartIo lock unless concurrent channels were granted; ResetBus always holds it. */
    @Override
    protected boolean underStartIoLock(BooleanSupplier body) {
        if (!resetting && (grantedPerf & io.vhba.miniport.StorPerf.STOR_PERF_CONCURRENT_CHANNELS) != 0) {
            return body.getAsBoolean();
        }
        startIoLockHeld = true;
        try {
            return body.getAsBoolean();
        } finally {
            startIoLockHeld = false;
        }
    }

    private boolean underInterruptLock(BooleanSupplier body) {
        for (int m = 0; m < config.getMessageCount(); m++) {
            lockMessage(m);
        }
        try {
            return body.getAsBoolean();
        } finally {
            msiLocksHeld.clear();
        }
    }

    // ---- StorPort -----------------------------------------------------------------------------

    /** StorPortAcquireSpinLock / StorPortReleaseSpinLock: the interrupt lock (every MSI lock), which ResetBus and AdapterControl take. */
    @Override
    protected Object otherNotification(NotificationType type, Object... arguments) {
        switch (type) {
            case ACQUIRE_SPIN_LOCK -> {
                if (arguments[0] != SpinLockType.INTERRUPT_LOCK) {
                    throw new AssertionError("unexpected lock " + arguments[0]);
                }
                for (int m = 0; m < config.getMessageCount(); m++) {
                    lockMessage(m);
                }
                ((StorLockHandle) arguments[2]).bindPortContext(SpinLockType.INTERRUPT_LOCK);
                return null;
            }
            case RELEASE_SPIN_LOCK -> {
                StorLockHandle h = (StorLockHandle) arguments[0];
                if (h.portContext() != SpinLockType.INTERRUPT_LOCK) {
                    throw new AssertionError("release without acquire");
                }
                msiLocksHeld.clear();
                h.bindPortContext(null);
                return null;
            }
            default -> {
                return super.otherNotification(type, arguments);
            }
        }
    }

    @Override
    public Object extendedFunction(StorPortFunctionCode function, Object hwDeviceExtension, Object... arguments) {
        return switch (function) {
            case GET_ACTIVE_GROUP_COUNT -> 1;
            case GET_GROUP_AFFINITY -> (Integer) arguments[0] == 0 ? (1L << processors) - 1 : 0L;
            case INITIALIZE_PERFORMANCE_OPTIMIZATIONS -> perfOpts((Boolean) arguments[0], (PerfConfigurationData) arguments[1]);
            default -> throw new AssertionError("the harness does not model " + function.routine());
        };
    }

    /** StorPortInitializePerfOpts as Storport documents it, offering {@link #offeredPerf}. */
    private int perfOpts(boolean query, PerfConfigurationData d) {
        if (offeredPerf == 0) {
            return StorStatus.STOR_STATUS_NOT_IMPLEMENTED;
        }
        if (rules.phase() != Phase.INITIALIZE && rules.phase() != Phase.PASSIVE) {
            return StorStatus.STOR_STATUS_UNSUCCESSFUL;
        }
        if (query) {
            perfCalls.add("query");
            d.setFlags(offeredPerf);
            return StorStatus.STOR_STATUS_SUCCESS;
        }
        perfCalls.add(String.format("set %02X channels=%d range=%d-%d", d.getFlags(), d.getConcurrentChannels(),
                d.getFirstRedirectionMessageNumber(), d.getLastRedirectionMessageNumber()));
        if ((d.getFlags() & ~offeredPerf) != 0) {
            return StorStatus.STOR_STATUS_UNSUCCESSFUL;
        }
        if ((d.getFlags() & io.vhba.miniport.StorPerf.STOR_PERF_ADV_CONFIG_LOCALITY) != 0) {
            GroupAffinity[] targets = d.getMessageTargets();
            for (int m = 0; m < targets.length; m++) {
                targets[m] = new GroupAffinity(1L << messageTarget.applyAsInt(m), 0);
            }
        }
        grantedPerf = d.getFlags();
        return StorStatus.STOR_STATUS_SUCCESS;
    }

    @Override
    public <E> boolean synchronizeAccess(E hwDeviceExtension, HwStorSynchronizedAccess<E> routine, Object context) {
        throw new AssertionError("the ring miniport shares nothing with an ISR through SynchronizeAccess");
    }

    /** Whether the StartIo lock is held now (for the test of what StartIo runs under). */
    boolean startIoLockHeld() {
        return startIoLockHeld;
    }
}
