package io.vhba.samples.virtual;

import io.vhba.hw.AttachedUnit;
import io.vhba.hw.ScsiBus;
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
import io.vhba.samples.halfduplex.HarnessPortRules;
import io.vhba.samples.halfduplex.HarnessPortRules.Phase;
import io.vhba.samples.mailbox.FakeSrb;
import io.vhba.samples.mailbox.hw.FakeHostMemory;
import java.util.ArrayList;
import java.util.List;

/**
 * A single-threaded Storport for the virtual miniport: no device, no interrupt; StartIo and
 * DPCs run on the test thread, DPCs when the test says. Anything a virtual
 * miniport has no business calling (registers, device base, uncached extension, physical
 * addresses) fails the test, as does a Storport rule the sample cites.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
final class VirtualPort implements StorPort {
    final FakeHostMemory memory = new FakeHostMemory(512);
    final HarnessPortRules<VirtualExtension> rules = new HarnessPortRules<>();
    final List<FakeSrb> completed = rules.completed;
    final List<String> log = new ArrayList<>();
    /** IssueDpc results, in order. */
    final List<Boolean> issued = new ArrayList<>();
    HwInitializationData<VirtualExtension> data;
    VirtualExtension ext;
    PortConfigurationInformation config;

    /** DriverEntry, then VIRTUAL_HW_FIND_ADAPTER with {@code busInformation}, HwInitialize (no lock), passive init. */
    FindAdapterStatus start(Object busInformation) {
        int status = new VirtualMiniport().driverEntry(this, new DriverObject("virtual"), "\\Registry\\virtual");
        if (status != NtStatus.STATUS_SUCCESS) {
            throw new AssertionError("DriverEntry failed: " + NtStatus.toString(status));
        }
        ext = data.deviceExtension().get();
        config = new PortConfigurationInformation(0, InterfaceType.INTERNAL, List.of(), 0, true);
        rules.enter(Phase.FIND_ADAPTER);
        FindAdapterStatus found = data.hwFindAdapter().findAdapter(ext, null, busInformation, "", config);
        if (found != FindAdapterStatus.SP_RETURN_FOUND) {
            return found;
        }
        rules.enter(Phase.INITIALIZE);
        if (!data.hwInitialize().initialize(ext)) {
            throw new AssertionError("HwInitialize failed");
        }
        rules.runPassiveInitialization(ext);
        rules.enter(Phase.RUNNING);
        return found;
    }

    FindAdapterStatus start(AttachedUnit... units) {
        return start(new ScsiBus(List.of(units)));
    }

    FakeSrb srb(int lun, byte[] cdb, int flags, int length) {
        FakeSrb s = new FakeSrb();
        s.lun = lun;
        s.cdb = cdb;
        s.srbFlags = flags;
        s.dataTransferLength = length;
        s.dataBuffer = length == 0 ? null : memory.map(memory.allocateScattered((length + 4095) / 4096 + 1), 100, length);
        s.senseInfoBuffer = memory.mapContiguous(memory.allocateContiguous(32), 32);
        s.senseInfoBufferLength = 32;
        return s;
    }

    /** StartIo (the port would hold the StartIo lock: the sample takes no lock of its own). */
    void startIo(FakeSrb srb) {
        if (data.hwBuildIo() != null) {
            throw new AssertionError("the virtual sample has no BuildIo");
        }
        if (!data.hwStartIo().startIo(ext, srb)) {
            throw new AssertionError("StartIo refused the SRB");
        }
    }

    /** Runs the DPCs queued now (not those they queue); returns how many ran. */
    int runQueuedDpcs() {
        return rules.runQueuedDpcs(ext);
    }

    int queuedDpcs() {
        return rules.queuedDpcs();
    }

    boolean resetBus() {
        return data.hwResetBus().resetBus(ext, 0);
    }

    // ---- StorPort -----------------------------------------------------------------------------

    @Override
    public int initialize(DriverObject driverObject, String registryPath, HwInitializationData<?> d, Object hwContext) {
        if (d.hwFindAdapter() == null || d.hwInitialize() == null || d.hwStartIo() == null || d.hwResetBus() == null) {
            return NtStatus.STATUS_REVISION_MISMATCH;
        }
        if (!d.isVirtual()) {
            throw new AssertionError("the virtual sample must register a VIRTUAL_HW_INITIALIZATION_DATA");
        }
        data = (HwInitializationData<VirtualExtension>) d;
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
                boolean queued = rules.issueDpc((StorDpc) arguments[0]);
                issued.add(queued);
                return queued;
            }
            default -> throw new AssertionError("the harness does not model " + type);
        }
    }

    @Override
    public Object notification(int notificationType, Object hwDeviceExtension, Object... arguments) {
        return notification(HarnessPortRules.documented(notificationType), hwDeviceExtension, arguments);
    }

    private static AssertionError noHardware(String routine) {
        return new AssertionError(routine + " from a virtual miniport: it has no hardware");
    }

    @Override public int acquireMsiSpinLock(Object e, int m) { throw noHardware("StorPortAcquireMSISpinLock"); }
    @Override public void releaseMsiSpinLock(Object e, int m, int o) { throw noHardware("StorPortReleaseMSISpinLock"); }
    @Override public int getCurrentProcessorNumber(Object e) { return 0; }

    @Override
    public <E> boolean synchronizeAccess(E e, HwStorSynchronizedAccess<E> routine, Object context) {
        throw noHardware("StorPortSynchronizeAccess");
    }

    @Override
    public long getDeviceBase(Object e, InterfaceType t, int bus, long address, int n, boolean io) {
        throw noHardware("StorPortGetDeviceBase");
    }

    @Override
    public MemoryBuffer getUncachedExtension(Object e, PortConfigurationInformation c, int n) {
        throw noHardware("StorPortGetUncachedExtension");
    }

    @Override public PhysicalRange getPhysicalAddress(Object e, Srb srb, long va) { throw noHardware("StorPortGetPhysicalAddress"); }
    @Override public long getVirtualAddress(Object e, long pa) { throw noHardware("StorPortGetVirtualAddress"); }
    @Override public ScatterGatherList getScatterGatherList(Object e, Srb srb) { throw noHardware("StorPortGetScatterGatherList"); }
    @Override public Object getLogicalUnit(Object e, int p, int t, int l) { return null; }
    @Override public boolean setDeviceQueueDepth(Object e, int p, int t, int l, int d) { return false; }
    @Override public byte readRegisterUchar(Object e, long r) { throw noHardware("StorPortReadRegisterUchar"); }
    @Override public short readRegisterUshort(Object e, long r) { throw noHardware("StorPortReadRegisterUshort"); }
    @Override public int readRegisterUlong(Object e, long r) { throw noHardware("StorPortReadRegisterUlong"); }
    @Override public long readRegisterUlong64(Object e, long r) { throw noHardware("StorPortReadRegisterUlong64"); }
    @Override public void writeRegisterUchar(Object e, long r, byte v) { throw noHardware("StorPortWriteRegisterUchar"); }
    @Override public void writeRegisterUshort(Object e, long r, short v) { throw noHardware("StorPortWriteRegisterUshort"); }
    @Override public void writeRegisterUlong(Object e, long r, int v) { throw noHardware("StorPortWriteRegisterUlong"); }
    @Override public void writeRegisterUlong64(Object e, long r, long v) { throw noHardware("StorPortWriteRegisterUlong64"); }

    @Override
    public void stallExecution(int microseconds) {
        throw new AssertionError("the sample never stalls");
    }

    @Override
    public void debugPrint(int debugPrintLevel, String format, Object... arguments) {
        log.add(String.format(format, arguments));
    }

    @Override
    public void logError(Object e, Srb srb, int pathId, int targetId, int lun, int errorCode, int uniqueId) {
        log.add(String.format("logError %08X/%08X", errorCode, uniqueId));
    }
}
