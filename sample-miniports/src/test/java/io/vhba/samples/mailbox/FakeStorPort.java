package io.vhba.samples.mailbox;

import io.vhba.hw.AttachedUnit;
import io.vhba.hw.ControllerOptions;
import io.vhba.miniport.AccessRange;
import io.vhba.miniport.FindAdapterStatus;
import io.vhba.miniport.HwStorMessageSignaledInterruptRoutine;
import io.vhba.miniport.HwStorSynchronizedAccess;
import io.vhba.miniport.InterfaceType;
import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.PortConfigurationInformation;
import io.vhba.miniport.SpinLockType;
import io.vhba.miniport.StorLockHandle;
import io.vhba.samples.halfduplex.DeviceHarnessPort;
import io.vhba.samples.halfduplex.HarnessPortRules.Phase;
import io.vhba.samples.mailbox.hw.MailboxController;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A single-threaded Storport for driving the mailbox miniport against the real controller
 * in tests: routines run on the test thread, MSI-X messages and DPCs are delivered when the
 * test pumps, and the Storport rules the sample cites are checked (a violation is an
 * {@link AssertionError}, standing in for bug check 0xF1). What it shares with the other
 * sample harnesses is in {@link DeviceHarnessPort}; this one adds the full-duplex locks
 * (StartIo lock, per-message MSI locks), the uncached extension and the current processor.
 */
final class FakeStorPort extends DeviceHarnessPort<MailboxExtension, MailboxController> {
    private static final Bar0Window BAR0 = new Bar0Window(0xFE00_0000L, 0xFFFF_F000_0000_0000L, 4096);

    int processor;
    private boolean uncachedTaken;
    private boolean startIoLockHeld;
    private final Set<Integer> msiLocksHeld = new HashSet<>();

    FakeStorPort(ControllerOptions options, AttachedUnit... units) {
        super(4096, BAR0, new MailboxController(options), units);
    }

    /** DriverEntry, FindAdapter, HwInitialize and passive initialisation, in Storport's order. Returns FindAdapter's answer. */
    FindAdapterStatus start(int messageCount) {
        return startAdapter(new MailboxMiniport(), "mailbox", "\\Registry\\Machine\\System\\mailbox",
                () -> new PortConfigurationInformation(0, InterfaceType.PCI_BUS,
                        List.of(new AccessRange(BAR0.busAddress(), BAR0.length(), true)), messageCount, false), null);
    }

    /** BuildIo, then StartIo under the StartIo lock on processor {@code cpu}, as the port's issue path does. */
    void submit(FakeSrb srb, int cpu) {
        processor = cpu;
        startIo(srb);
    }

    /** Delivers pending MSI-X messages to the ISR (each under its own message lock), without running DPCs. */
    @SuppressWarnings("unchecked") // the routine the mailbox sample registered, for its own extension
    int deliverInterrupts() {
        int n = 0;
        var isr = (HwStorMessageSignaledInterruptRoutine<MailboxExtension>) config.getHwMSInterruptRoutine();
        for (int m : interrupts.drainMessages()) {
            msiLocksHeld.add(m);
            try {
                isr.messageSignaledInterrupt(ext, m);
            } finally {
                msiLocksHeld.remove(m);
            }
            n++;
        }
        return n;
    }

    /** Interrupts, then DPCs, until nothing is pending: what the simulated processors would do once the IRQL drops. */
    void pump() {
        while (deliverInterrupts() + runDpcs() > 0) {
            // keep going: a CQ_HEAD write may raise a vector again
        }
    }

    /** Full duplex: StartIo and ResetBus hold only the StartIo lock, which the miniport may not take again. */
    @Override
    protected boolean underStartIoLock(BooleanSupplier body) {
        startIoLockHeld = true;
        try {
            return body.getAsBoolean();
        } finally {
            startIoLockHeld = false;
        }
    }

    // ---- StorPort -----------------------------------------------------------------------------

    /** StorPortAcquireSpinLock / StorPortReleaseSpinLock: the sample takes only the StartIo lock, from its DPC. */
    @Override
    protected Object otherNotification(NotificationType type, Object... arguments) {
        switch (type) {
            case ACQUIRE_SPIN_LOCK -> {
                if (arguments[0] != SpinLockType.START_IO_LOCK) {
                    throw new AssertionError("unexpected lock " + arguments[0]);
                }
                if (startIoLockHeld) {
                    throw new AssertionError("StartIo lock acquired twice (deadlock)");
                }
                startIoLockHeld = true;
                ((StorLockHandle) arguments[2]).bindPortContext(SpinLockType.START_IO_LOCK);
                return null;
            }
            case RELEASE_SPIN_LOCK -> {
                StorLockHandle h = (StorLockHandle) arguments[0];
                if (h.portContext() != SpinLockType.START_IO_LOCK || !startIoLockHeld) {
                    throw new AssertionError("release without acquire");
                }
                startIoLockHeld = false;
                h.bindPortContext(null);
                return null;
            }
            default -> {
                return super.otherNotification(type, arguments);
            }
        }
    }

    @Override
    public int acquireMsiSpinLock(Object hwDeviceExtension, int messageId) {
        if (!msiLocksHeld.add(messageId)) {
            throw new AssertionError("MSI lock " + messageId + " acquired twice");
        }
        return 2;
    }

    @Override
    public void releaseMsiSpinLock(Object hwDeviceExtension, int messageId, int oldIrql) {
        if (!msiLocksHeld.remove(messageId)) {
            throw new AssertionError("MSI lock " + messageId + " released without acquire");
        }
    }

    @Override
    public int getCurrentProcessorNumber(Object hwDeviceExtension) {
        return processor;
    }

    @Override
    public <E> boolean synchronizeAccess(E hwDeviceExtension, HwStorSynchronizedAccess<E> routine, Object context) {
        return routine.synchronizedAccess(hwDeviceExtension, context);
    }

    /** Legal only in FindAdapter, after SrbExtensionSize is set, and once per adapter (STORPORT.md). */
    @Override
    public MemoryBuffer getUncachedExtension(Object hwDeviceExtension, PortConfigurationInformation c, int numberOfBytes) {
        if (rules.phase() != Phase.FIND_ADAPTER || c.getSrbExtensionSize() == 0 || uncachedTaken) {
            throw new AssertionError("uncached extension requested at the wrong time (bug check 0xF1/0x2002)");
        }
        uncachedTaken = true;
        return memory.mapContiguous(memory.allocateContiguous(numberOfBytes), numberOfBytes);
    }

    @Override
    public boolean setDeviceQueueDepth(Object hwDeviceExtension, int pathId, int targetId, int lun, int depth) {
        return true;
    }

    /** KeStallExecutionProcessor: a real busy wait; the verifier refuses stalls over 0.1 s. */
    @Override
    public void stallExecution(int microseconds) {
        if (microseconds > 100_000) {
            throw new AssertionError("stall longer than 0.1 s (bug check 0xF1/0x2001)");
        }
        long end = System.nanoTime() + microseconds * 1000L;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
