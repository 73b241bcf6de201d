package io.vhba.emulator.storport;

import io.vhba.emulator.kernel.Irql;
import io.vhba.emulator.kernel.KThreadState;
import io.vhba.miniport.DriverObject;
import io.vhba.miniport.FindAdapterStatus;
import io.vhba.miniport.HwInitializationData;
import io.vhba.miniport.InterfaceType;
import io.vhba.miniport.InterruptSynchronizationMode;
import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.MiniportDriver;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.PortConfigurationInformation;
import io.vhba.miniport.ScatterGatherList;
import io.vhba.miniport.SpinLockType;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbFlags;
import io.vhba.miniport.SrbFunction;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.StorDpc;
import io.vhba.miniport.StorLockHandle;
import io.vhba.miniport.StorPort;
import io.vhba.miniport.SynchronizationModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/** A minimal but rule-abiding miniport for {@link TestController}, with switches to break rules on purpose. */
final class TestMiniport implements MiniportDriver {
    static final int SLOTS = 32;

    /** The device extension. */
    static final class Ext {
        StorPort port;
        long regs;
        MemoryBuffer descriptors;
        long descriptorsPa;
        final Srb[] slots = new Srb[SLOTS];
        final StorDpc dpc = new StorDpc();
        final List<Integer> completedTags = new ArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        int nextTag;
        // misbehaviour switches
        volatile boolean completeTwice;
        volatile boolean initializeDpcInStartIo;
        volatile int busyCount;
        volatile boolean completeInBuildIo;
    }

    final List<Ext> extensions = new CopyOnWriteArrayList<>();
    boolean omitResetBus;
    /** PORT_CONFIGURATION_INFORMATION.SynchronizationMode to set in FindAdapter. */
    SynchronizationModel mode = SynchronizationModel.FULL_DUPLEX;
    /** PORT_CONFIGURATION_INFORMATION.BusResetHoldTime to set in FindAdapter (microseconds), or -1. */
    int busResetHoldTime = -1;
    /** InterruptSynchronizationMode for the MSI-X routine. */
    InterruptSynchronizationMode interruptSync = InterruptSynchronizationMode.INTERRUPT_SYNCHRONIZE_ALL;
    /** Give each LU a SpecificLuExtension (an int[1]). */
    boolean luExtensions;
    /** Register HwStorBuildIo; with {@link Ext#completeInBuildIo} it completes EXECUTE_SCSI requests itself. */
    boolean buildIo;
    /** Use HwStorInterrupt on the INTx line instead of the MSI-X routine. */
    boolean lineInterrupt;
    /** Run inside HwStorInitialize (DIRQL, interrupt lock held), after the device is enabled. */
    volatile java.util.function.Consumer<Ext> hwInitializeHook;
    /** Run inside the passive initialisation routine, after the DPC is initialised. */
    volatile java.util.function.Consumer<Ext> passiveInitializeHook;
    /** Take the StartIo lock inside HwStorStartIo around the slots (for concurrent channels, where the port does not). */
    boolean guardStartIo;
    /** Run inside HwStorStartIo for every EXECUTE_SCSI request, before it reaches the device. */
    volatile BiConsumer<Ext, Srb> startIoHook;

    @Override public String name() { return "testport"; }
    @Override public String description() { return "engine test miniport"; }
    @Override public List<String> hardwareIds() { return List.of(TestController.HW_ID); }

    @Override
    public int driverEntry(StorPort port, DriverObject driverObject, String registryPath) {
        HwInitializationData.Builder<Ext> b = HwInitializationData.<Ext>builder(InterfaceType.PCI_BUS, () -> {
                    Ext e = new Ext();
                    e.port = port;
                    extensions.add(e);
                    return e;
                })
                .srbExtensionSize(64)
                .hwFindAdapter(this::findAdapter)
                .hwInitialize(this::initialize)
                .hwStartIo(this::startIo);
        if (!omitResetBus) {
            b.hwResetBus((e, path) -> true);
        }
        if (lineInterrupt) {
            b.hwInterrupt(e -> isr(e, -1));
        }
        if (buildIo) {
            b.hwBuildIo((e, srb) -> {
                e.events.add("BuildIo " + where());
                if (e.completeInBuildIo && srb.function() == SrbFunction.EXECUTE_SCSI) {
                    srb.setSrbStatus(SrbStatus.SUCCESS);
                    e.port.notification(NotificationType.REQUEST_COMPLETE, e, srb);
                    return false;
                }
                return true;
            });
        }
        if (luExtensions) {
            b.specificLuExtension(() -> new int[1]);
        }
        return port.initialize(driverObject, registryPath, b.build(), null);
    }

    private static String where() {
        KThreadState st = KThreadState.current();
        return Irql.name(st.irql()) + " locks=" + st.heldLocks().size();
    }

    private FindAdapterStatus findAdapter(Ext e, Object ctx, Object bus, String args, PortConfigurationInformation c) {
        e.events.add("FindAdapter " + where());
        var r = c.getAccessRanges().get(0);
        e.regs = e.port.getDeviceBase(e, InterfaceType.PCI_BUS, 0, r.rangeStart(), r.rangeLength(), false);
        c.setMaximumTransferLength(1 << 20);
        c.setNumberOfPhysicalBreaks(257);
        c.setSynchronizationMode(mode);
        if (busResetHoldTime >= 0) {
            c.setBusResetHoldTime(busResetHoldTime);
        }
        if (!lineInterrupt) {
            c.setHwMSInterruptRoutine(this::msi);
            c.setInterruptSynchronizationMode(interruptSync);
        }
        e.descriptors = e.port.getUncachedExtension(e, c, SLOTS * TestController.DESCRIPTOR_SIZE);
        e.descriptorsPa = e.port.getPhysicalAddress(e, null, e.descriptors.virtualAddress()).physicalAddress();
        return FindAdapterStatus.SP_RETURN_FOUND;
    }

    private boolean initialize(Ext e) {
        e.events.add("HwInitialize " + where());
        e.port.writeRegisterUlong(e, e.regs + TestController.ENABLE, 1);
        if (hwInitializeHook != null) {
            hwInitializeHook.accept(e);
        }
        return e.port.enablePassiveInitialization(e, x -> {
            x.events.add("PassiveInitialize " + where());
            x.port.initializeDpc(x, x.dpc, this::dpc);
            if (passiveInitializeHook != null) {
                passiveInitializeHook.accept(x);
            }
            return true;
        });
    }

    private boolean startIo(Ext e, Srb srb) {
        e.events.add("StartIo " + where());
        if (e.initializeDpcInStartIo) {
            e.port.initializeDpc(e, new StorDpc(), this::dpc);
        }
        if (srb.function() != SrbFunction.EXECUTE_SCSI) {
            srb.setSrbStatus(SrbStatus.INVALID_REQUEST);
            e.port.notification(NotificationType.REQUEST_COMPLETE, e, srb);
            return true;
        }
        BiConsumer<Ext, Srb> hook = startIoHook;
        if (hook != null) {
            hook.accept(e, srb);
        }
        if (e.busyCount > 0) {
            e.busyCount--;
            srb.setSrbStatus(SrbStatus.BUSY);
            e.port.notification(NotificationType.REQUEST_COMPLETE, e, srb);
            return true;
        }
        if (guardStartIo) {
            // concurrent channels: the port holds no StartIo lock, so the miniport takes it around its shared slots
            StorLockHandle h = new StorLockHandle();
            e.port.acquireSpinLock(e, SpinLockType.START_IO_LOCK, null, h);
            try {
                submit(e, srb);
            } finally {
                e.port.releaseSpinLock(e, h);
            }
        } else {
            submit(e, srb);
        }
        return true;
    }

    private void submit(Ext e, Srb srb) {
        int slot = -1;
        for (int i = 0; i < SLOTS; i++) {
            int s = (e.nextTag + i) % SLOTS;
            if (e.slots[s] == null) {
                slot = s;
                break;
            }
        }
        if (slot < 0) {
            srb.setSrbStatus(SrbStatus.BUSY);
            e.port.notification(NotificationType.REQUEST_COMPLETE, e, srb);
            return;
        }
        e.nextTag = slot + 1;
        e.slots[slot] = srb;
        MemoryBuffer d = e.descriptors.slice(slot * TestController.DESCRIPTOR_SIZE, TestController.DESCRIPTOR_SIZE);
        d.putInt(TestController.D_TAG, slot);
        d.putByte(TestController.D_CDB_LEN, (byte) srb.cdbLength());
        int flags = srb.srbFlags();
        d.putByte(TestController.D_DIR, (byte) ((flags & SrbFlags.DATA_IN) != 0 ? 1 : (flags & SrbFlags.DATA_OUT) != 0 ? 2 : 0));
        d.putByte(TestController.D_LUN, (byte) srb.lun());
        d.putInt(TestController.D_LEN, srb.dataTransferLength());
        byte[] cdb = new byte[16];
        srb.copyCdb(cdb);
        d.put(TestController.D_CDB, cdb, 0, 16);
        ScatterGatherList sg = e.port.getScatterGatherList(e, srb);
        int n = sg == null ? 0 : sg.numberOfElements();
        d.putInt(TestController.D_SG_COUNT, n);
        for (int i = 0; i < n; i++) {
            d.putLong(TestController.D_SG + 16 * i, sg.physicalAddress(i));
            d.putInt(TestController.D_SG + 16 * i + 8, sg.length(i));
        }
        long pa = e.descriptorsPa + (long) slot * TestController.DESCRIPTOR_SIZE;
        e.port.writeRegisterUlong(e, e.regs + TestController.CMD_LO, (int) pa);
        e.port.writeRegisterUlong(e, e.regs + TestController.CMD_HI, (int) (pa >>> 32));
        e.port.writeRegisterUlong(e, e.regs + TestController.DOORBELL, slot);
    }

    private boolean msi(Ext e, int message) {
        return isr(e, message);
    }

    private boolean isr(Ext e, int message) {
        e.events.add("ISR " + where());
        boolean any = false;
        int tag;
        while ((tag = e.port.readRegisterUlong(e, e.regs + TestController.DONE)) != 0xFFFF_FFFF) {
            e.completedTags.add(tag);
            any = true;
        }
        if (any) {
            e.port.issueDpc(e, e.dpc, null, null);
        }
        return any;
    }

    private void dpc(StorDpc dpc, Ext e, Object a1, Object a2) {
        e.events.add("DPC " + where());
        StorLockHandle h = new StorLockHandle();
        e.port.acquireSpinLock(e, SpinLockType.INTERRUPT_LOCK, null, h);
        List<Integer> tags = new ArrayList<>(e.completedTags);
        e.completedTags.clear();
        e.port.releaseSpinLock(e, h);
        for (int tag : tags) {
            Srb srb = e.slots[tag];
            e.slots[tag] = null;
            MemoryBuffer d = e.descriptors.slice(tag * TestController.DESCRIPTOR_SIZE, TestController.DESCRIPTOR_SIZE);
            int status = d.getByte(TestController.D_STATUS) & 0xFF;
            int xfer = d.getInt(TestController.D_XFER);
            if (status == 0) {
                if (xfer < srb.dataTransferLength()) {
                    srb.setDataTransferLength(xfer);
                    srb.setSrbStatus(SrbStatus.DATA_OVERRUN);
                } else {
                    srb.setSrbStatus(SrbStatus.SUCCESS);
                }
            } else {
                srb.setScsiStatus(status);
                byte[] sense = new byte[18];
                d.get(TestController.D_SENSE, sense, 0, 18);
                srb.senseInfoBuffer().put(0, sense, 0, 18);
                srb.setSenseInfoBufferLength(18);
                srb.setSrbStatus(SrbStatus.ERROR, true);
            }
            e.port.notification(NotificationType.REQUEST_COMPLETE, e, srb);
            if (e.completeTwice) {
                e.port.notification(NotificationType.REQUEST_COMPLETE, e, srb);
            }
        }
    }
}
