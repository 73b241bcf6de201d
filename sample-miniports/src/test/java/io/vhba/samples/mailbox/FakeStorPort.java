package io.vhba.samples.mailbox;

import io.vhba.hw.AttachedUnit;
import io.vhba.hw.ControllerOptions;
import io.vhba.miniport.AccessRange;
import io.vhba.miniport.FindAdapterStatus;
import io.vhba.miniport.HwStorSynchronizedAccess;
import io.vhba.miniport.InterfaceType;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.PortConfigurationInformation;
import io.vhba.miniport.SpinLockType;
import io.vhba.miniport.StorLockHandle;
import io.vhba.samples.common.MsixHarnessPort;
import io.vhba.samples.mailbox.hw.MailboxController;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A single-threaded Storport for driving the mailbox miniport against the real controller
 * in tests: routines run on the test thread, MSI-X messages and DPCs are delivered when the
 * test pumps, and the Storport rules the sample cites are checked (a violation is an
 * {@link AssertionError}, standing in for bug check 0xF1). What it shares with the other
 * MSI-X harness is in {@link MsixHarnessPort} (processor, MSI locks, interrupt delivery, the
 * uncached extension); this one adds the full-duplex StartIo lock the mailbox sample relies on.
 */
final class FakeStorPort extends MsixHarnessPort<MailboxExtension, MailboxController> {
    private static final Bar0Window BAR0 = new Bar0Window(0xFE00_0000L, 0xFFFF_F000_0000_0000L, 4096);
    private boolean startIoLockHeld;

    FakeStorPort(ControllerOptions options, AttachedUnit... units) {
        super(4096, BAR0, new MailboxController(options), units);
    }

    /** DriverEntry, FindAdapter, HwInitialize and passive initialisation, in Storport's order. Returns FindAdapter's answer. */
    FindAdapterStatus start(int messageCount) {
        return startAdapter(new MailboxMiniport(), "mailbox", "\\Registry\\Machine\\System\\mailbox",
                () -> new PortConfigurationInformation(0, InterfaceType.PCI_BUS,
                        List.of(new AccessRange(BAR0.busAddress(), BAR0.length(), true)), messageCount, false), null);
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
    public <E> boolean synchronizeAccess(E hwDeviceExtension, HwStorSynchronizedAccess<E> routine, Object context) {
        return routine.synchronizedAccess(hwDeviceExtension, context);
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
