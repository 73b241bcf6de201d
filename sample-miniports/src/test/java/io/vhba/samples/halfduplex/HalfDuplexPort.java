package io.vhba.samples.halfduplex;

import io.vhba.hw.AttachedUnit;
import io.vhba.hw.ControllerOptions;
import io.vhba.miniport.AccessRange;
import io.vhba.miniport.FindAdapterStatus;
import io.vhba.miniport.HwStorSynchronizedAccess;
import io.vhba.miniport.InterfaceType;
import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.PortConfigurationInformation;
import io.vhba.samples.common.DeviceHarnessPort;
import io.vhba.samples.common.FakeSrb;
import io.vhba.samples.halfduplex.hw.HalfDuplexController;
import io.vhba.samples.mailbox.hw.RecordingInterrupts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A single-threaded half-duplex Storport for the halfduplex miniport and its real controller:
 * StartIo and the ISR run with the (modelled) interrupt lock held, the line's ISR runs when
 * the "IRQL drops" after StartIo, DPCs when the test pumps. The rules the sample cites are
 * checked; a violation is an {@link AssertionError}, standing in for bug check 0xF1. What it
 * shares with the other sample harnesses is in {@link DeviceHarnessPort}.
 */
final class HalfDuplexPort extends DeviceHarnessPort<HalfDuplexExtension, HalfDuplexController> {
    private static final Bar0Window BAR0 = new Bar0Window(0xFE10_0000L, 0xFFFF_F000_0010_0000L, 256);

    /** The INTx line the controller asserts (the shared recorder, under the name the tests use). */
    final RecordingInterrupts line = interrupts;
    final List<Boolean> isrReturns = new ArrayList<>();
    /** "t:l" of the LUNs whose INQUIRY the port has seen; SetDeviceQueueDepth is refused for the rest. */
    final Set<String> inquirySeen = new HashSet<>();
    final Map<String, Integer> queueDepth = new HashMap<>();
    private boolean interruptLockHeld;

    HalfDuplexPort(ControllerOptions options, AttachedUnit... units) {
        super(2048, BAR0, new HalfDuplexController(options), units);
    }

    /** DriverEntry, FindAdapter, HwInitialize (interrupt lock held), passive initialisation. */
    FindAdapterStatus start() {
        return startAdapter(new HalfDuplexMiniport(), "halfduplex", "\\Registry\\halfduplex", () -> {
            PortConfigurationInformation c = new PortConfigurationInformation(0, InterfaceType.PCI_BUS,
                    List.of(new AccessRange(BAR0.busAddress(), BAR0.length(), true)), controller.msixMessageCount(), false);
            c.setSrbExtensionSize(data.srbExtensionSize());
            return c;
        }, null);
    }

    /** StartIo, then what the processor does as the IRQL drops: the line's ISR while the level is high, then DPCs. */
    void submit(FakeSrb srb) {
        startIo(srb);
        pump();
    }

    /** HwStorInterrupt once, under the interrupt lock, as the kernel calls it for any interrupt on the (shared) line. */
    boolean isr() {
        boolean claimed = underInterruptLock(() -> data.hwInterrupt().interrupt(ext));
        isrReturns.add(claimed);
        return claimed;
    }

    void pump() {
        int guard = 0;
        while (line.lineAsserted() || rules.queuedDpcs() > 0) {
            if (++guard > 1000) {
                throw new AssertionError("the line stays asserted: interrupt storm");
            }
            if (line.lineAsserted()) {
                isr();
            }
            runDpcs();
        }
    }

    /** Half duplex: HwInitialize runs at DIRQL holding the interrupt lock. */
    @Override
    protected boolean initializeAdapter() {
        return underInterruptLock(super::initializeAdapter);
    }

    /** Half duplex: StartIo and ResetBus hold the StartIo lock plus the interrupt lock. */
    @Override
    protected boolean underStartIoLock(BooleanSupplier body) {
        return underInterruptLock(body);
    }

    private boolean underInterruptLock(BooleanSupplier body) {
        if (interruptLockHeld) {
            throw new AssertionError("interrupt lock acquired twice (deadlock)");
        }
        interruptLockHeld = true;
        try {
            return body.getAsBoolean();
        } finally {
            interruptLockHeld = false;
        }
    }

    // ---- StorPort -----------------------------------------------------------------------------

    @Override
    protected Object otherNotification(NotificationType type, Object... arguments) {
        if (type == NotificationType.ACQUIRE_SPIN_LOCK) {
            throw new AssertionError(interruptLockHeld
                    ? "spin lock acquired at DIRQL in half-duplex StartIo or the ISR" : "the sample takes no spin lock");
        }
        return super.otherNotification(type, arguments);
    }

    @Override
    public int acquireMsiSpinLock(Object hwDeviceExtension, int messageId) {
        throw new AssertionError("a line-interrupt adapter has no MSI lock");
    }

    @Override
    public void releaseMsiSpinLock(Object hwDeviceExtension, int messageId, int oldIrql) {
        throw new AssertionError("a line-interrupt adapter has no MSI lock");
    }

    @Override
    public <E> boolean synchronizeAccess(E hwDeviceExtension, HwStorSynchronizedAccess<E> routine, Object context) {
        return underInterruptLock(() -> routine.synchronizedAccess(hwDeviceExtension, context));
    }

    @Override
    public MemoryBuffer getUncachedExtension(Object hwDeviceExtension, PortConfigurationInformation c, int numberOfBytes) {
        throw new AssertionError("the halfduplex miniport keeps its command blocks in SRB extensions");
    }

    /** Refused before the port has seen the LUN's INQUIRY; under the interrupt lock it would start requests that need it: a deadlock. */
    @Override
    public boolean setDeviceQueueDepth(Object hwDeviceExtension, int pathId, int targetId, int lun, int depth) {
        if (interruptLockHeld) {
            throw new AssertionError("StorPortSetDeviceQueueDepth under the interrupt lock: the requests it starts need that lock");
        }
        String address = targetId + ":" + lun;
        if (!inquirySeen.contains(address)) {
            return false;
        }
        queueDepth.put(address, depth);
        return true;
    }
}
