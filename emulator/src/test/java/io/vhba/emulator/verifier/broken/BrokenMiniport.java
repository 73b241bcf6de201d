package io.vhba.emulator.verifier.broken;

import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.DriverObject;
import io.vhba.miniport.FindAdapterStatus;
import io.vhba.miniport.HwInitializationData;
import io.vhba.miniport.InterfaceType;
import io.vhba.miniport.InterruptSynchronizationMode;
import io.vhba.miniport.MiniportDriver;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.PortConfigurationInformation;
import io.vhba.miniport.SpinLockType;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.StorDpc;
import io.vhba.miniport.StorLockHandle;
import io.vhba.miniport.StorPort;
import io.vhba.miniport.SynchronizationModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A rule-abiding miniport for {@link LoopbackController} that breaks exactly one rule once
 * {@link #arm armed}: the bus scan runs clean, then the next request meets the bug. Each
 * subclass overrides one hook and states the bug check it expects (rule, parameters 2-4,
 * the routine it happens in), recording identities (SRB, device extension) as it breaks.
 *
 * <p>The path: StartIo takes a slot, the scatter/gather list, and rings DOORBELL with the
 * slot; the MSI routine drains DONE and issues the DPC; the DPC answers the command itself
 * (REPORT LUNS: LUN 0 on target 0; INQUIRY: a disk; anything else: success) and completes it.
 */
abstract class BrokenMiniport implements MiniportDriver {
    static final int SLOTS = 16;

    /** The device extension. */
    static final class Ext {
        StorPort port;
        long regs;
        PortConfigurationInformation config;
        final StorDpc dpc = new StorDpc();
        final AtomicReferenceArray<Srb> slots = new AtomicReferenceArray<>(SLOTS);
        final List<Integer> doneTags = new ArrayList<>();
    }

    volatile boolean armed;
    volatile Ext ext;
    /** The bug check parameters 2-4 this miniport expects; set when it breaks the rule, if they depend on identities. */
    volatile long p2;
    volatile long p3;
    volatile long p4;

    /** The rule this miniport breaks. */
    abstract VerifierRule rule();

    /** The miniport routine running when the port notices, as the bug check names it after the adapter. */
    abstract String routine();

    /** Whether the bug check unwinds the routine that started the I/O (BuildIo/StartIo) rather than an ISR or DPC. */
    boolean inIssuePath() {
        return routine().equals("HwStorStartIo") || routine().equals("HwStorBuildIo");
    }

    /** Whether the port notices while the miniport's own code is on the stack (not on a routine's return value). */
    boolean reportedInsideTheMiniport() {
        return true;
    }

    SynchronizationModel synchronizationModel() {
        return SynchronizationModel.FULL_DUPLEX;
    }

    void arm() {
        armed = true;
    }

    long[] expectedParameters() {
        return new long[] {p2, p3, p4};
    }

    @Override public String name() { return getClass().getSimpleName(); }
    @Override public String description() { return "breaks " + rule(); }
    @Override public List<String> hardwareIds() { return List.of(LoopbackController.HW_ID); }

    @Override
    public int driverEntry(StorPort port, DriverObject driverObject, String registryPath) {
        HwInitializationData<Ext> data = HwInitializationData.<Ext>builder(InterfaceType.PCI_BUS, () -> {
                    Ext e = new Ext();
                    e.port = port;
                    ext = e;
                    return e;
                })
                .srbExtensionSize(32)
                .hwFindAdapter((e, ctx, bus, args, c) -> findAdapter(e, c))
                .hwInitialize(this::initialize)
                .hwBuildIo((e, srb) -> !armed || buildIo(e, srb))
                .hwStartIo(this::startIo)
                .hwResetBus((e, path) -> true)
                .build();
        return port.initialize(driverObject, registryPath, data, null);
    }

    private FindAdapterStatus findAdapter(Ext e, PortConfigurationInformation c) {
        var r = c.getAccessRanges().get(0);
        e.regs = e.port.getDeviceBase(e, InterfaceType.PCI_BUS, 0, r.rangeStart(), r.rangeLength(), false);
        e.config = c;
        c.setMaximumTransferLength(1 << 16);
        c.setNumberOfPhysicalBreaks(16);
        c.setSynchronizationMode(synchronizationModel());
        c.setHwMSInterruptRoutine(this::msi);
        c.setInterruptSynchronizationMode(InterruptSynchronizationMode.INTERRUPT_SYNCHRONIZE_ALL);
        breakFindAdapter(e, c);
        return FindAdapterStatus.SP_RETURN_FOUND;
    }

    private boolean initialize(Ext e) {
        e.port.writeRegisterUlong(e, e.regs + LoopbackController.ENABLE, 1);
        breakHwInitialize(e);
        return e.port.enablePassiveInitialization(e, x -> {
            x.port.initializeDpc(x, x.dpc, this::dpc);
            return true;
        });
    }

    /** Runs at the end of HwStorFindAdapter, always (start-up rules have nothing to arm). */
    void breakFindAdapter(Ext e, PortConfigurationInformation c) { }

    /** Runs in HwStorInitialize, always. */
    void breakHwInitialize(Ext e) { }

    // ---- hooks a broken miniport overrides ----------------------------------------------

    /** HwStorBuildIo once armed; the default proceeds. */
    boolean buildIo(Ext e, Srb srb) {
        return true;
    }

    /** Runs in HwStorStartIo once armed; return true when the request was dealt with (completed). */
    boolean breakStartIo(Ext e, Srb srb) {
        return false;
    }

    /** Runs in the MSI routine once armed, before the normal drain. */
    void breakIsr(Ext e) { }

    /** Completes a request the DPC answered; once armed a broken miniport may do it wrong. */
    void completeFromDpc(Ext e, Srb srb) {
        complete(e, srb);
    }

    /** Runs in the DPC once armed, before the completions. */
    void breakDpc(Ext e) { }

    // ---- the rule-abiding path ----------------------------------------------------------

    static void complete(Ext e, Srb srb) {
        e.port.notification(NotificationType.REQUEST_COMPLETE, e, srb);
    }

    private boolean startIo(Ext e, Srb srb) {
        if (armed && breakStartIo(e, srb)) {
            return true;
        }
        if (srb.targetId() != 0 || srb.lun() != 0) {
            srb.setSrbStatus(SrbStatus.SELECTION_TIMEOUT);
            complete(e, srb);
            return true;
        }
        for (int slot = 0; slot < SLOTS; slot++) {
            if (e.slots.compareAndSet(slot, null, srb)) {
                e.port.getScatterGatherList(e, srb); // the DMA a real controller would be given
                e.port.writeRegisterUlong(e, e.regs + LoopbackController.DOORBELL, slot);
                return true;
            }
        }
        srb.setSrbStatus(SrbStatus.BUSY); // a refusal to start: legal from StartIo
        complete(e, srb);
        return true;
    }

    private boolean msi(Ext e, int message) {
        if (armed) {
            breakIsr(e);
        }
        boolean any = false;
        int tag;
        while ((tag = e.port.readRegisterUlong(e, e.regs + LoopbackController.DONE)) != 0xFFFF_FFFF) {
            synchronized (e.doneTags) {
                e.doneTags.add(tag);
            }
            any = true;
        }
        if (any) {
            e.port.issueDpc(e, e.dpc, null, null);
        }
        return any;
    }

    private void dpc(StorDpc dpc, Ext e, Object a1, Object a2) {
        if (armed) {
            breakDpc(e);
        }
        StorLockHandle h = new StorLockHandle();
        List<Integer> tags;
        e.port.acquireSpinLock(e, SpinLockType.INTERRUPT_LOCK, null, h);
        synchronized (e.doneTags) {
            tags = new ArrayList<>(e.doneTags);
            e.doneTags.clear();
        }
        e.port.releaseSpinLock(e, h);
        for (int tag : tags) {
            Srb srb = e.slots.getAndSet(tag, null);
            if (srb != null) {
                answer(srb);
                if (armed) {
                    completeFromDpc(e, srb);
                } else {
                    complete(e, srb);
                }
            }
        }
    }

    /** The device's answer, made up by the miniport: enough for the port's bus scan. */
    private static void answer(Srb srb) {
        byte[] data = switch (srb.cdb(0)) {
            case 0xA0 -> new byte[] {0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}; // REPORT LUNS: LUN 0
            case 0x12 -> {
                byte[] inq = new byte[36]; // INQUIRY: direct-access block device, SPC-4
                inq[2] = 6;
                inq[3] = 2;
                inq[4] = 31;
                yield inq;
            }
            default -> null;
        };
        if (data == null) {
            srb.setSrbStatus(SrbStatus.SUCCESS);
            return;
        }
        int n = Math.min(data.length, srb.dataTransferLength());
        srb.dataBuffer().put(0, data, 0, n);
        if (n < srb.dataTransferLength()) {
            srb.setDataTransferLength(n);
            srb.setSrbStatus(SrbStatus.DATA_OVERRUN); // srb.h: also the underrun status
        } else {
            srb.setSrbStatus(SrbStatus.SUCCESS);
        }
    }

    static long id(Object o) {
        return System.identityHashCode(o);
    }

    @Override
    public String toString() {
        return name();
    }
}
