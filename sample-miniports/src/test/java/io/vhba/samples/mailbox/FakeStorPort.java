package io.vhba.samples.mailbox;

import io.vhba.hw.AttachedUnit;
import io.vhba.hw.ControllerOptions;
import io.vhba.hw.RegisterFile;
import io.vhba.hw.Width;
import io.vhba.miniport.AccessRange;
import io.vhba.miniport.DriverObject;
import io.vhba.miniport.FindAdapterStatus;
import io.vhba.miniport.HwInitializationData;
import io.vhba.miniport.HwStorDpcRoutine;
import io.vhba.miniport.HwStorMessageSignaledInterruptRoutine;
import io.vhba.miniport.HwStorPassiveInitializeRoutine;
import io.vhba.miniport.HwStorSynchronizedAccess;
import io.vhba.miniport.InterfaceType;
import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.NtStatus;
import io.vhba.miniport.PhysicalRange;
import io.vhba.miniport.PortConfigurationInformation;
import io.vhba.miniport.ScatterGatherList;
import io.vhba.miniport.SpinLockType;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.StorDpc;
import io.vhba.miniport.StorLockHandle;
import io.vhba.miniport.StorPort;
import io.vhba.samples.mailbox.hw.FakeDeviceContext;
import io.vhba.samples.mailbox.hw.FakeHostMemory;
import io.vhba.samples.mailbox.hw.MailboxController;
import io.vhba.samples.mailbox.hw.RecordingInterrupts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A single-threaded Storport for driving the mailbox miniport against the real controller
 * in tests: routines run on the test thread, MSI-X messages and DPCs are delivered when the
 * test pumps, and the Storport rules the sample cites are checked (a violation is an
 * {@link AssertionError}, standing in for bug check 0xF1).
 */
@SuppressWarnings({"unchecked", "rawtypes"})
final class FakeStorPort implements StorPort {
    private static final long BAR0_BUS_ADDRESS = 0xFE00_0000L;
    private static final long BAR0_VIRTUAL = 0xFFFF_F000_0000_0000L;

    enum Phase { DRIVER_ENTRY, FIND_ADAPTER, INITIALIZE, PASSIVE, RUNNING }

    final FakeHostMemory memory = new FakeHostMemory(4096);
    final RecordingInterrupts interrupts = new RecordingInterrupts();
    final MailboxController controller;
    final RegisterFile bar0;
    final List<Srb> completed = new ArrayList<>();
    final List<String> log = new ArrayList<>();
    HwInitializationData<MailboxExtension> data;
    MailboxExtension ext;
    PortConfigurationInformation config;
    int processor;
    private Phase phase = Phase.DRIVER_ENTRY;
    private boolean uncachedTaken;
    private boolean startIoLockHeld;
    private HwStorPassiveInitializeRoutine passive;
    private final Map<StorDpc, HwStorDpcRoutine> dpcs = new HashMap<>();
    private final LinkedHashSet<StorDpc> dpcQueue = new LinkedHashSet<>();
    private final Set<Integer> msiLocksHeld = new HashSet<>();

    FakeStorPort(ControllerOptions options, AttachedUnit... units) {
        controller = new MailboxController(options);
        bar0 = controller.bars().get(0);
        controller.attach(new FakeDeviceContext(memory, interrupts, List.of(units)));
    }

    /** DriverEntry, FindAdapter, HwInitialize and passive initialisation, in Storport's order. Returns FindAdapter's answer. */
    FindAdapterStatus start(int messageCount) {
        int status = new MailboxMiniport().driverEntry(this, new DriverObject("mailbox"), "\\Registry\\Machine\\System\\mailbox");
        if (status != NtStatus.STATUS_SUCCESS) {
            throw new AssertionError("DriverEntry failed: " + NtStatus.toString(status));
        }
        ext = data.deviceExtension().get();
        config = new PortConfigurationInformation(0, InterfaceType.PCI_BUS,
                List.of(new AccessRange(BAR0_BUS_ADDRESS, 4096, true)), messageCount, false);
        phase = Phase.FIND_ADAPTER;
        FindAdapterStatus found = data.hwFindAdapter().findAdapter(ext, null, null, "", config);
        if (found != FindAdapterStatus.SP_RETURN_FOUND) {
            return found;
        }
        phase = Phase.INITIALIZE;
        if (!data.hwInitialize().initialize(ext)) {
            throw new AssertionError("HwInitialize failed");
        }
        if (passive == null) {
            throw new AssertionError("no passive initialisation routine");
        }
        phase = Phase.PASSIVE;
        if (!passive.passiveInitialize(ext)) {
            throw new AssertionError("passive initialisation failed");
        }
        phase = Phase.RUNNING;
        return found;
    }

    int dpcCount() {
        return dpcs.size();
    }

    /** An EXECUTE_SCSI SRB with a fresh SRB extension and a 32-byte sense buffer. */
    FakeSrb srb(byte[] cdb, int flags, MemoryBuffer data, int length) {
        FakeSrb s = new FakeSrb();
        s.cdb = cdb;
        s.srbFlags = flags;
        s.dataBuffer = data;
        s.dataTransferLength = length;
        s.senseInfoBuffer = memory.mapContiguous(memory.allocateContiguous(32), 32);
        s.senseInfoBufferLength = 32;
        return s;
    }

    /** A data buffer over {@code pages} scattered pages, starting {@code firstOffset} into the first. */
    MemoryBuffer dataBuffer(int pages, int firstOffset, int length) {
        return memory.map(memory.allocateScattered(pages), firstOffset, length);
    }

    /** BuildIo, then StartIo under the StartIo lock on processor {@code cpu}, as the port's issue path does. */
    void submit(FakeSrb srb, int cpu) {
        processor = cpu;
        if (data.srbExtensionSize() > 0) {
            srb.srbExtension = memory.mapContiguous(memory.allocateContiguous(data.srbExtensionSize()), data.srbExtensionSize());
        }
        if (data.hwBuildIo() != null && !data.hwBuildIo().buildIo(ext, srb)) {
            if (!srb.completed) {
                throw new AssertionError("BuildIo returned false without completing the SRB");
            }
            return;
        }
        startIoLockHeld = true;
        try {
            if (!data.hwStartIo().startIo(ext, srb)) {
                throw new AssertionError("StartIo refused the SRB");
            }
        } finally {
            startIoLockHeld = false;
        }
    }

    /** HwStorResetBus under the StartIo lock. */
    boolean resetBus() {
        startIoLockHeld = true;
        try {
            return data.hwResetBus().resetBus(ext, 0);
        } finally {
            startIoLockHeld = false;
        }
    }

    /** Delivers pending MSI-X messages to the ISR (each under its own message lock), without running DPCs. */
    int deliverInterrupts() {
        int n = 0;
        HwStorMessageSignaledInterruptRoutine isr = config.getHwMSInterruptRoutine();
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

    int runDpcs() {
        int n = 0;
        while (!dpcQueue.isEmpty()) {
            StorDpc dpc = dpcQueue.iterator().next();
            dpcQueue.remove(dpc);
            dpcs.get(dpc).dpc(dpc, ext, null, null);
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

    // ---- StorPort -----------------------------------------------------------------------------

    @Override
    public int initialize(DriverObject driverObject, String registryPath, HwInitializationData<?> d, Object hwContext) {
        if (d.hwFindAdapter() == null || d.hwInitialize() == null || d.hwStartIo() == null || d.hwResetBus() == null) {
            return NtStatus.STATUS_REVISION_MISMATCH;
        }
        data = (HwInitializationData<MailboxExtension>) d;
        return NtStatus.STATUS_SUCCESS;
    }

    @Override
    public Object notification(NotificationType type, Object hwDeviceExtension, Object... arguments) {
        switch (type) {
            case REQUEST_COMPLETE -> {
                FakeSrb srb = (FakeSrb) arguments[0];
                if (srb.completed) {
                    throw new AssertionError("SRB completed twice (bug check 0xF1/0x2004)");
                }
                if (SrbStatus.of(srb.srbStatusByte) == SrbStatus.PENDING) {
                    throw new AssertionError("SRB completed with SRB_STATUS_PENDING");
                }
                if ((srb.srbStatusByte & SrbStatus.QUEUE_FROZEN) != 0) {
                    throw new AssertionError("a miniport never sets QUEUE_FROZEN");
                }
                srb.completed = true;
                completed.add(srb);
                return null;
            }
            case ENABLE_PASSIVE_INITIALIZATION -> {
                if (phase != Phase.INITIALIZE) {
                    return false;
                }
                passive = (HwStorPassiveInitializeRoutine) arguments[0];
                return true;
            }
            case INITIALIZE_DPC -> {
                if (phase != Phase.PASSIVE) {
                    throw new AssertionError("StorPortInitializeDpc outside passive initialisation");
                }
                dpcs.put((StorDpc) arguments[0], (HwStorDpcRoutine) arguments[1]);
                return null;
            }
            case ISSUE_DPC -> {
                StorDpc dpc = (StorDpc) arguments[0];
                if (!dpcs.containsKey(dpc)) {
                    throw new AssertionError("StorPortIssueDpc of an uninitialised DPC");
                }
                return dpcQueue.add(dpc);
            }
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
            default -> throw new AssertionError("the harness does not model " + type);
        }
    }

    @Override
    public Object notification(int notificationType, Object hwDeviceExtension, Object... arguments) {
        NotificationType t = NotificationType.of(notificationType);
        if (t == null) {
            throw new AssertionError("undocumented notification type " + notificationType);
        }
        return notification(t, hwDeviceExtension, arguments);
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

    @Override
    public long getDeviceBase(Object hwDeviceExtension, InterfaceType busType, int systemIoBusNumber, long ioAddress,
                              int numberOfBytes, boolean inIoSpace) {
        if (ioAddress != BAR0_BUS_ADDRESS || inIoSpace || numberOfBytes > 4096) {
            throw new AssertionError("bad device base (bug check 0xF1/0x2003)");
        }
        return BAR0_VIRTUAL;
    }

    @Override
    public MemoryBuffer getUncachedExtension(Object hwDeviceExtension, PortConfigurationInformation c, int numberOfBytes) {
        if (phase != Phase.FIND_ADAPTER || c.getSrbExtensionSize() == 0 || uncachedTaken) {
            throw new AssertionError("uncached extension requested at the wrong time (bug check 0xF1/0x2002)");
        }
        uncachedTaken = true;
        return memory.mapContiguous(memory.allocateContiguous(numberOfBytes), numberOfBytes);
    }

    @Override
    public PhysicalRange getPhysicalAddress(Object hwDeviceExtension, Srb srb, long virtualAddress) {
        return memory.translate(virtualAddress);
    }

    @Override
    public long getVirtualAddress(Object hwDeviceExtension, long physicalAddress) {
        throw new AssertionError("the mailbox miniport has no use for StorPortGetVirtualAddress");
    }

    @Override
    public ScatterGatherList getScatterGatherList(Object hwDeviceExtension, Srb srb) {
        List<PhysicalRange> runs = memory.scatterGather(((FakeSrb) srb).dataBuffer.slice(0, ((FakeSrb) srb).dataTransferLength));
        return new ScatterGatherList() {
            @Override public int numberOfElements() { return runs.size(); }
            @Override public long physicalAddress(int element) { return runs.get(element).physicalAddress(); }
            @Override public int length(int element) { return runs.get(element).length(); }
        };
    }

    @Override
    public Object getLogicalUnit(Object hwDeviceExtension, int pathId, int targetId, int lun) {
        return null;
    }

    @Override
    public boolean setDeviceQueueDepth(Object hwDeviceExtension, int pathId, int targetId, int lun, int depth) {
        return true;
    }

    private int offset(long register) {
        long o = register - BAR0_VIRTUAL;
        if (o < 0 || o >= 4096) {
            throw new AssertionError("bad register address (bug check 0xF1/0x2005)");
        }
        return (int) o;
    }

    @Override public byte readRegisterUchar(Object e, long r) { return (byte) bar0.read(offset(r), Width.BYTE); }
    @Override public short readRegisterUshort(Object e, long r) { return (short) bar0.read(offset(r), Width.WORD); }
    @Override public int readRegisterUlong(Object e, long r) { return (int) bar0.read(offset(r), Width.DWORD); }
    @Override public long readRegisterUlong64(Object e, long r) { return bar0.read(offset(r), Width.QWORD); }
    @Override public void writeRegisterUchar(Object e, long r, byte v) { bar0.write(offset(r), Width.BYTE, v); }
    @Override public void writeRegisterUshort(Object e, long r, short v) { bar0.write(offset(r), Width.WORD, v); }
    @Override public void writeRegisterUlong(Object e, long r, int v) { bar0.write(offset(r), Width.DWORD, v & 0xFFFF_FFFFL); }
    @Override public void writeRegisterUlong64(Object e, long r, long v) { bar0.write(offset(r), Width.QWORD, v); }

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

    @Override
    public void debugPrint(int debugPrintLevel, String format, Object... arguments) {
        log.add(String.format(format, arguments));
    }

    @Override
    public void logError(Object hwDeviceExtension, Srb srb, int pathId, int targetId, int lun, int errorCode, int uniqueId) {
        log.add(String.format("logError %08X/%08X", errorCode, uniqueId));
    }
}
