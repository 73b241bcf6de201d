package io.vhba.samples.halfduplex;

import io.vhba.hw.AttachedUnit;
import io.vhba.hw.ControllerOptions;
import io.vhba.hw.RegisterFile;
import io.vhba.hw.Width;
import io.vhba.miniport.AccessRange;
import io.vhba.miniport.DriverObject;
import io.vhba.miniport.FindAdapterStatus;
import io.vhba.miniport.HwInitializationData;
import io.vhba.miniport.HwStorSynchronizedAccess;
import io.vhba.miniport.InterfaceType;
import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.NtStatus;
import io.vhba.miniport.PhysicalRange;
import io.vhba.miniport.PortConfigurationInformation;
import io.vhba.miniport.ScatterGatherList;
import io.vhba.miniport.Srb;
import io.vhba.miniport.StorDpc;
import io.vhba.miniport.StorPort;
import io.vhba.samples.halfduplex.HarnessPortRules.Phase;
import io.vhba.samples.halfduplex.hw.HalfDuplexController;
import io.vhba.samples.mailbox.FakeSrb;
import io.vhba.samples.mailbox.hw.FakeDeviceContext;
import io.vhba.samples.mailbox.hw.FakeHostMemory;
import io.vhba.samples.mailbox.hw.RecordingInterrupts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A single-threaded half-duplex Storport for the halfduplex miniport and its real controller:
 * StartIo and the ISR run with the (modelled) interrupt lock held, the line's ISR runs when
 * the "IRQL drops" after StartIo, DPCs when the test pumps. The rules the sample cites are
 * checked; a violation is an {@link AssertionError}, standing in for bug check 0xF1.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
final class HalfDuplexPort implements StorPort {
    private static final long BAR0_BUS_ADDRESS = 0xFE10_0000L;
    private static final long BAR0_VIRTUAL = 0xFFFF_F000_0010_0000L;

    final FakeHostMemory memory = new FakeHostMemory(2048);
    final RecordingInterrupts line = new RecordingInterrupts();
    final HalfDuplexController controller;
    final RegisterFile bar0;
    final HarnessPortRules<HalfDuplexExtension> rules = new HarnessPortRules<>();
    final List<FakeSrb> completed = rules.completed;
    final List<Boolean> isrReturns = new ArrayList<>();
    final List<String> log = new ArrayList<>();
    /** "t:l" of the LUNs whose INQUIRY the port has seen; SetDeviceQueueDepth is refused for the rest. */
    final Set<String> inquirySeen = new HashSet<>();
    final Map<String, Integer> queueDepth = new HashMap<>();
    HwInitializationData<HalfDuplexExtension> data;
    HalfDuplexExtension ext;
    PortConfigurationInformation config;
    private boolean interruptLockHeld;

    HalfDuplexPort(ControllerOptions options, AttachedUnit... units) {
        controller = new HalfDuplexController(options);
        bar0 = controller.bars().get(0);
        controller.attach(new FakeDeviceContext(memory, line, List.of(units)));
    }

    /** DriverEntry, FindAdapter, HwInitialize (interrupt lock held), passive initialisation. */
    FindAdapterStatus start() {
        int status = new HalfDuplexMiniport().driverEntry(this, new DriverObject("halfduplex"), "\\Registry\\halfduplex");
        if (status != NtStatus.STATUS_SUCCESS) {
            throw new AssertionError("DriverEntry failed: " + NtStatus.toString(status));
        }
        ext = data.deviceExtension().get();
        config = new PortConfigurationInformation(0, InterfaceType.PCI_BUS,
                List.of(new AccessRange(BAR0_BUS_ADDRESS, 256, true)), controller.msixMessageCount(), false);
        config.setSrbExtensionSize(data.srbExtensionSize());
        rules.enter(Phase.FIND_ADAPTER);
        FindAdapterStatus found = data.hwFindAdapter().findAdapter(ext, null, null, "", config);
        if (found != FindAdapterStatus.SP_RETURN_FOUND) {
            return found;
        }
        rules.enter(Phase.INITIALIZE);
        if (!underInterruptLock(() -> data.hwInitialize().initialize(ext))) {
            throw new AssertionError("HwInitialize failed");
        }
        rules.runPassiveInitialization(ext);
        rules.enter(Phase.RUNNING);
        return found;
    }

    FakeSrb srb(byte[] cdb, int flags, MemoryBuffer buffer, int length) {
        FakeSrb s = new FakeSrb();
        s.cdb = cdb;
        s.srbFlags = flags;
        s.dataBuffer = buffer;
        s.dataTransferLength = length;
        s.senseInfoBuffer = memory.mapContiguous(memory.allocateContiguous(32), 32);
        s.senseInfoBufferLength = 32;
        return s;
    }

    MemoryBuffer dataBuffer(int pages, int firstOffset, int length) {
        return memory.map(memory.allocateScattered(pages), firstOffset, length);
    }

    /** BuildIo (no lock), then StartIo under the interrupt lock, as the half-duplex issue path does. No ISR yet. */
    void startIo(FakeSrb srb) {
        srb.srbExtension = memory.mapContiguous(memory.allocateContiguous(data.srbExtensionSize()), data.srbExtensionSize());
        if (!data.hwBuildIo().buildIo(ext, srb)) {
            if (!srb.completed) {
                throw new AssertionError("BuildIo returned false without completing the SRB");
            }
            return;
        }
        if (!underInterruptLock(() -> data.hwStartIo().startIo(ext, srb))) {
            throw new AssertionError("StartIo refused the SRB");
        }
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

    int runDpcs() {
        return rules.runDpcs(ext);
    }

    /** HwStorResetBus: StartIo lock plus, in half duplex, the interrupt lock. */
    boolean resetBus() {
        return underInterruptLock(() -> data.hwResetBus().resetBus(ext, 0));
    }

    private boolean underInterruptLock(java.util.function.BooleanSupplier body) {
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
    public int initialize(DriverObject driverObject, String registryPath, HwInitializationData<?> d, Object hwContext) {
        if (d.hwFindAdapter() == null || d.hwInitialize() == null || d.hwStartIo() == null || d.hwResetBus() == null) {
            return NtStatus.STATUS_REVISION_MISMATCH;
        }
        data = (HwInitializationData<HalfDuplexExtension>) d;
        return NtStatus.STATUS_SUCCESS;
    }

    @Override
    public Object notification(NotificationType type, Object hwDeviceExtension, Object... arguments) {
        switch (type) {
            case REQUEST_COMPLETE -> {
                rules.requestComplete((FakeSrb) arguments[0]);
                return null;
            }
            case ENABLE_PASSIVE_INITIALIZATION -> {
                return rules.enablePassiveInitialization(arguments[0]);
            }
            case INITIALIZE_DPC -> {
                rules.initializeDpc((StorDpc) arguments[0], arguments[1]);
                return null;
            }
            case ISSUE_DPC -> {
                return rules.issueDpc((StorDpc) arguments[0]);
            }
            case ACQUIRE_SPIN_LOCK -> throw new AssertionError(interruptLockHeld
                    ? "spin lock acquired at DIRQL in half-duplex StartIo or the ISR" : "the sample takes no spin lock");
            default -> throw new AssertionError("the harness does not model " + type);
        }
    }

    @Override
    public Object notification(int notificationType, Object hwDeviceExtension, Object... arguments) {
        return notification(HarnessPortRules.documented(notificationType), hwDeviceExtension, arguments);
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
    public int getCurrentProcessorNumber(Object hwDeviceExtension) {
        return 0;
    }

    @Override
    public <E> boolean synchronizeAccess(E hwDeviceExtension, HwStorSynchronizedAccess<E> routine, Object context) {
        return underInterruptLock(() -> routine.synchronizedAccess(hwDeviceExtension, context));
    }

    @Override
    public long getDeviceBase(Object hwDeviceExtension, InterfaceType busType, int systemIoBusNumber, long ioAddress,
                              int numberOfBytes, boolean inIoSpace) {
        if (rules.phase() != Phase.FIND_ADAPTER || ioAddress != BAR0_BUS_ADDRESS || inIoSpace || numberOfBytes > 256) {
            throw new AssertionError("bad device base (bug check 0xF1/0x2003)");
        }
        return BAR0_VIRTUAL;
    }

    @Override
    public MemoryBuffer getUncachedExtension(Object hwDeviceExtension, PortConfigurationInformation c, int numberOfBytes) {
        throw new AssertionError("the halfduplex miniport keeps its command blocks in SRB extensions");
    }

    @Override
    public PhysicalRange getPhysicalAddress(Object hwDeviceExtension, Srb srb, long virtualAddress) {
        return memory.translate(virtualAddress);
    }

    @Override
    public long getVirtualAddress(Object hwDeviceExtension, long physicalAddress) {
        throw new AssertionError("unused");
    }

    @Override
    public ScatterGatherList getScatterGatherList(Object hwDeviceExtension, Srb srb) {
        FakeSrb s = (FakeSrb) srb;
        List<PhysicalRange> runs = memory.scatterGather(s.dataBuffer.slice(0, s.dataTransferLength));
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

    private int offset(long register) {
        long o = register - BAR0_VIRTUAL;
        if (o < 0 || o >= 256) {
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
        throw new AssertionError("the sample never stalls");
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
