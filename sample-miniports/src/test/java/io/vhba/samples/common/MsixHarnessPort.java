package io.vhba.samples.common;

import io.vhba.hw.AttachedUnit;
import io.vhba.hw.DeviceModel;
import io.vhba.miniport.HwStorMessageSignaledInterruptRoutine;
import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.PortConfigurationInformation;
import io.vhba.samples.common.HarnessPortRules.Phase;
import java.util.HashSet;
import java.util.Set;

/**
 * A {@link DeviceHarnessPort} for an MSI-X miniport (the mailbox FakeStorPort, the RingPort):
 * the current processor, the per-message MSI spin locks (taking one twice is the deadlock it
 * would be), MSI-X delivery to the registered message-signalled ISR, the one uncached extension
 * FindAdapter may take, and the pump that runs interrupts and DPCs until nothing is pending.
 * Which other locks StartIo, ResetBus and AdapterControl hold stays in the subclasses.
 *
 * @param <E> the sample's device extension
 * @param <C> the sample's controller
 */
public abstract class MsixHarnessPort<E, C extends DeviceModel> extends DeviceHarnessPort<E, C> {
    /** The processor the next routine runs on. */
    public int processor;
    /** The MSI locks held now, by message ID. */
    protected final Set<Integer> msiLocksHeld = new HashSet<>();
    private boolean uncachedTaken;

    protected MsixHarnessPort(int memoryFrames, Bar0Window window, C controller, AttachedUnit... units) {
        super(memoryFrames, window, controller, units);
    }

    /** BuildIo, then StartIo on processor {@code cpu}, as the port's issue path does. */
    public void submit(FakeSrb srb, int cpu) {
        processor = cpu;
        startIo(srb);
    }

    /** Delivers pending MSI-X messages to the ISR (each under its own message lock), without running DPCs. */
    @SuppressWarnings("unchecked") // the routine the sample registered, for its own extension
    public int deliverInterrupts() {
        int n = 0;
        var isr = (HwStorMessageSignaledInterruptRoutine<E>) config.getHwMSInterruptRoutine();
        for (int m : interrupts.drainMessages()) {
            lockMessage(m);
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
    public void pump() {
        while (deliverInterrupts() + runDpcs() > 0) {
            // keep going: a CQ_HEAD write may raise a vector again
        }
    }

    /** Takes message {@code m}'s MSI lock; taking it twice is a deadlock. */
    protected final void lockMessage(int m) {
        if (!msiLocksHeld.add(m)) {
            throw new AssertionError("MSI lock " + m + " acquired twice (deadlock)");
        }
    }

    @Override
    public int acquireMsiSpinLock(Object hwDeviceExtension, int messageId) {
        lockMessage(messageId);
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
}
