package io.vhba.samples.common;

import io.vhba.miniport.DriverObject;
import io.vhba.miniport.FindAdapterStatus;
import io.vhba.miniport.HwInitializationData;
import io.vhba.miniport.HwStorSynchronizedAccess;
import io.vhba.miniport.InterfaceType;
import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.MiniportDriver;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.NtStatus;
import io.vhba.miniport.PhysicalRange;
import io.vhba.miniport.PortConfigurationInformation;
import io.vhba.miniport.ScatterGatherList;
import io.vhba.miniport.Srb;
import io.vhba.miniport.StorDpc;
import io.vhba.miniport.StorPort;
import io.vhba.samples.common.FakeSrb;
import io.vhba.samples.common.HarnessPortRules.Phase;
import io.vhba.samples.mailbox.hw.FakeHostMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The part of a single-threaded test Storport that every sample harness (HalfDuplexPort,
 * VirtualPort, the mailbox FakeStorPort) shares: Storport's start-up order, the issue path
 * (BuildIo, then StartIo under whatever lock the port models), the notifications
 * {@link HarnessPortRules} checks, and a port with no hardware behind it — every register,
 * device-base or physical-address routine fails the test. {@link DeviceHarnessPort} adds a
 * controller's BAR0 for the samples that have one. Violations are {@link AssertionError}s,
 * standing in for bug check 0xF1. Public because the samples' tests live in other packages.
 *
 * @param <E> the sample's device extension
 */
@SuppressWarnings("unchecked")
public abstract class HarnessPort<E> implements StorPort {
    public final FakeHostMemory memory;
    public final HarnessPortRules<E> rules = new HarnessPortRules<>();
    /** Completed SRBs, in completion order. */
    public final List<FakeSrb> completed = rules.completed;
    /** StorPortIssueDpc results, in order. */
    public final List<Boolean> issued = rules.issued;
    /** DebugPrint and LogError output. */
    public final List<String> log = new ArrayList<>();
    public HwInitializationData<E> data;
    public E ext;
    public PortConfigurationInformation config;

    /** @param memoryFrames host memory, in 4 KiB frames, for buffers, sense data and extensions */
    protected HarnessPort(int memoryFrames) {
        memory = new FakeHostMemory(memoryFrames);
    }

    /**
     * DriverEntry, FindAdapter with {@code busInformation}, HwInitialize ({@link #initializeAdapter}),
     * passive initialisation: Storport's start-up order (STORPORT.md). The configuration is
     * built after DriverEntry, so it may copy from {@link #data}. Returns FindAdapter's answer.
     */
    protected final FindAdapterStatus startAdapter(MiniportDriver driver, String driverName, String registryPath,
                                                   Supplier<PortConfigurationInformation> configuration,
                                                   Object busInformation) {
        int status = driver.driverEntry(this, new DriverObject(driverName), registryPath);
        if (status != NtStatus.STATUS_SUCCESS) {
            throw new AssertionError("DriverEntry failed: " + NtStatus.toString(status));
        }
        ext = data.deviceExtension().get();
        config = configuration.get();
        rules.enter(Phase.FIND_ADAPTER);
        FindAdapterStatus found = data.hwFindAdapter().findAdapter(ext, null, busInformation, "", config);
        if (found != FindAdapterStatus.SP_RETURN_FOUND) {
            return found;
        }
        rules.enter(Phase.INITIALIZE);
        if (!initializeAdapter()) {
            throw new AssertionError("HwInitialize failed");
        }
        rules.runPassiveInitialization(ext);
        rules.enter(Phase.RUNNING);
        return found;
    }

    /** HwStorInitialize, with no lock unless the port models one. */
    protected boolean initializeAdapter() {
        return data.hwInitialize().initialize(ext);
    }

    /** Runs what Storport calls under the StartIo lock (StartIo, ResetBus); plain unless the port tracks that lock. */
    protected boolean underStartIoLock(BooleanSupplier body) {
        return body.getAsBoolean();
    }

    /** An EXECUTE_SCSI SRB with a 32-byte sense buffer. */
    public FakeSrb srb(byte[] cdb, int flags, MemoryBuffer buffer, int length) {
        FakeSrb s = new FakeSrb();
        s.cdb = cdb;
        s.srbFlags = flags;
        s.dataBuffer = buffer;
        s.dataTransferLength = length;
        s.senseInfoBuffer = memory.mapContiguous(memory.allocateContiguous(32), 32);
        s.senseInfoBufferLength = 32;
        return s;
    }

    /** A data buffer over {@code pages} scattered pages, starting {@code firstOffset} into the first. */
    public MemoryBuffer dataBuffer(int pages, int firstOffset, int length) {
        return memory.map(memory.allocateScattered(pages), firstOffset, length);
    }

    /**
     * The port's issue path: a fresh SRB extension when the sample asked for one, BuildIo (no
     * lock) when it has one, then StartIo under {@link #underStartIoLock}.
     */
    public void startIo(FakeSrb srb) {
        if (data.srbExtensionSize() > 0) {
            srb.srbExtension = memory.mapContiguous(memory.allocateContiguous(data.srbExtensionSize()), data.srbExtensionSize());
        }
        if (data.hwBuildIo() != null && !data.hwBuildIo().buildIo(ext, srb)) {
            if (!srb.completed) {
                throw new AssertionError("BuildIo returned false without completing the SRB");
            }
            return;
        }
        if (!underStartIoLock(() -> data.hwStartIo().startIo(ext, srb))) {
            throw new AssertionError("StartIo refused the SRB");
        }
    }

    /** HwStorResetBus, which Storport calls holding the StartIo lock. */
    public boolean resetBus() {
        return underStartIoLock(() -> data.hwResetBus().resetBus(ext, 0));
    }

    /** Runs queued DPCs until none is left, those they queue included; returns how many ran. */
    public int runDpcs() {
        return rules.runDpcs(ext);
    }

    /** Runs the DPCs queued now (not those they queue); returns how many ran. */
    public int runQueuedDpcs() {
        return rules.runQueuedDpcs(ext);
    }

    public int queuedDpcs() {
        return rules.queuedDpcs();
    }

    /** How many DPCs the sample initialised. */
    public int dpcCount() {
        return rules.initializedDpcs();
    }

    /** Checks the HW_INITIALIZATION_DATA beyond the four mandatory routines; nothing more by default. */
    protected void checkRegistration(HwInitializationData<?> d) {
    }

    /** A notification the shared rules do not handle (spin locks, ...); by default the harness does not model it. */
    protected Object otherNotification(NotificationType type, Object... arguments) {
        throw new AssertionError("the harness does not model " + type);
    }

    /** A routine that needs hardware the port does not have. */
    protected static AssertionError noHardware(String routine) {
        return new AssertionError(routine + " from a miniport whose port has no hardware for it");
    }

    // ---- StorPort -----------------------------------------------------------------------------

    @Override
    public int initialize(DriverObject driverObject, String registryPath, HwInitializationData<?> d, Object hwContext) {
        if (d.hwFindAdapter() == null || d.hwInitialize() == null || d.hwStartIo() == null || d.hwResetBus() == null) {
            return NtStatus.STATUS_REVISION_MISMATCH;
        }
        checkRegistration(d);
        data = (HwInitializationData<E>) d;
        return NtStatus.STATUS_SUCCESS;
    }

    @Override
    public Object notification(NotificationType type, Object hwDeviceExtension, Object... arguments) {
        return switch (type) {
            case REQUEST_COMPLETE -> {
                rules.requestComplete((FakeSrb) arguments[0]);
                yield null;
            }
            case ENABLE_PASSIVE_INITIALIZATION -> rules.enablePassiveInitialization(arguments[0]);
            case INITIALIZE_DPC -> {
                rules.initializeDpc((StorDpc) arguments[0], arguments[1]);
                yield null;
            }
            case ISSUE_DPC -> rules.issueDpc((StorDpc) arguments[0]);
            default -> otherNotification(type, arguments);
        };
    }

    @Override
    public Object notification(int notificationType, Object hwDeviceExtension, Object... arguments) {
        return notification(HarnessPortRules.documented(notificationType), hwDeviceExtension, arguments);
    }

    @Override
    public int getCurrentProcessorNumber(Object hwDeviceExtension) {
        return 0;
    }

    @Override
    public Object getLogicalUnit(Object hwDeviceExtension, int pathId, int targetId, int lun) {
        return null;
    }

    @Override
    public boolean setDeviceQueueDepth(Object hwDeviceExtension, int pathId, int targetId, int lun, int depth) {
        return false;
    }

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

    // ---- no hardware: DeviceHarnessPort and the samples override what their port has ------------

    @Override public int acquireMsiSpinLock(Object e, int m) { throw noHardware("StorPortAcquireMSISpinLock"); }
    @Override public void releaseMsiSpinLock(Object e, int m, int o) { throw noHardware("StorPortReleaseMSISpinLock"); }

    @Override
    public <X> boolean synchronizeAccess(X e, HwStorSynchronizedAccess<X> routine, Object context) {
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
    @Override public byte readRegisterUchar(Object e, long r) { throw noHardware("StorPortReadRegisterUchar"); }
    @Override public short readRegisterUshort(Object e, long r) { throw noHardware("StorPortReadRegisterUshort"); }
    @Override public int readRegisterUlong(Object e, long r) { throw noHardware("StorPortReadRegisterUlong"); }
    @Override public long readRegisterUlong64(Object e, long r) { throw noHardware("StorPortReadRegisterUlong64"); }
    @Override public void writeRegisterUchar(Object e, long r, byte v) { throw noHardware("StorPortWriteRegisterUchar"); }
    @Override public void writeRegisterUshort(Object e, long r, short v) { throw noHardware("StorPortWriteRegisterUshort"); }
    @Override public void writeRegisterUlong(Object e, long r, int v) { throw noHardware("StorPortWriteRegisterUlong"); }
    @Override public void writeRegisterUlong64(Object e, long r, long v) { throw noHardware("StorPortWriteRegisterUlong64"); }
}
