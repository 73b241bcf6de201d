package io.vhba.emulator.storport;

import io.vhba.emulator.kernel.Irql;
import io.vhba.emulator.kernel.KProcessor;
import io.vhba.emulator.kernel.KSpinLock;
import io.vhba.emulator.kernel.KThreadState;
import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.platform.UnmappedRegisterException;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.hw.RegisterAccessException;
import io.vhba.hw.Width;
import io.vhba.miniport.AccessRange;
import io.vhba.miniport.DriverObject;
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
import io.vhba.miniport.StorPort;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code StorPort*} routines for one loaded driver. Each call finds the adapter from the
 * device extension (as Storport does from HwDeviceExtension) and is checked by the verifier.
 * Each one that touches shared state, time or hardware begins with a scheduling point
 * ({@link io.vhba.emulator.kernel.Kernel#schedulingPoint}: nothing when free-running); no Java
 * monitor is held there, since the miniport is called with none.
 */
public final class PortServices implements StorPort {
    private final StorportEngine engine;
    private final io.vhba.emulator.kernel.Kernel kernel;
    private final MiniportDriver driver;
    private final Logger miniportLog;
    private final Notifications notifications;
    private final ExtendedFunctions extendedFunctions;
    private volatile DriverRegistration registration;
    private volatile Map<Object, Adapter> byExtension = new IdentityHashMap<>();
    private final io.vhba.miniport.kernel.KernelServices kernelServices;
    private final io.vhba.miniport.wdf.WdfServices wdfServices;

    PortServices(StorportEngine engine, MiniportDriver driver) {
        this.engine = engine;
        this.kernel = engine.kernel();
        this.driver = driver;
        this.miniportLog = LoggerFactory.getLogger("miniport." + driver.name());
        this.notifications = new Notifications(engine);
        this.kernelServices = DpcFacades.kernel(this);
        this.wdfServices = DpcFacades.wdf(this);
        this.extendedFunctions = new ExtendedFunctions(engine, this);
    }

    DriverRegistration registration() {
        return registration;
    }

    StorportEngine engine() {
        return engine;
    }

    @Override
    public io.vhba.miniport.kernel.KernelServices kernel() {
        return kernelServices;
    }

    @Override
    public io.vhba.miniport.wdf.WdfServices wdf() {
        return wdfServices;
    }

    public MiniportDriver driver() {
        return driver;
    }

    /** Whether DriverEntry registered a VIRTUAL_HW_INITIALIZATION_DATA table (start with {@link StorportEngine#startVirtualAdapter}). */
    public boolean isVirtual() {
        return registration != null && registration.data().isVirtual();
    }

    synchronized void bind(Object ext, Adapter a) {
        Map<Object, Adapter> m = new IdentityHashMap<>(byExtension);
        m.put(ext, a);
        byExtension = m;
    }

    Adapter adapter(Object ext) {
        Adapter a = byExtension.get(ext);
        if (a == null) {
            throw new IllegalArgumentException("not a device extension of driver " + driver.name() + ": " + ext);
        }
        return a;
    }

    // ---- initialisation -----------------------------------------------------------------

    @Override
    public int initialize(DriverObject driverObject, String registryPath, HwInitializationData<?> data, Object hwContext) {
        if (data == null || data.hwFindAdapter() == null || data.hwInitialize() == null || data.hwStartIo() == null
                || data.hwResetBus() == null) {
            // StorPortInitialize refuses a table missing a required routine (STORPORT.md, step 1).
            return NtStatus.STATUS_REVISION_MISMATCH;
        }
        if (data.srbExtensionSize() < 0) {
            return NtStatus.STATUS_INVALID_PARAMETER;
        }
        registration = new DriverRegistration(driver, driverObject, data, hwContext);
        return NtStatus.STATUS_SUCCESS;
    }

    // ---- notifications ------------------------------------------------------------------

    @Override
    public Object notification(NotificationType type, Object ext, Object... arguments) {
        kernel.schedulingPoint();
        return notifications.dispatch(type, adapter(ext), arguments);
    }

    @Override
    public Object notification(int notificationType, Object ext, Object... arguments) {
        kernel.schedulingPoint();
        NotificationType t = NotificationType.of(notificationType);
        Adapter a = adapter(ext);
        if (t == null) {
            a.verifyFailed(VerifierRule.UNDOCUMENTED_NOTIFICATION, notificationType, 0,
                    "StorPortNotification with undocumented type 0x" + Integer.toHexString(notificationType));
            return null;
        }
        return notifications.dispatch(t, a, arguments);
    }

    // ---- locks --------------------------------------------------------------------------

    @Override
    public int acquireMsiSpinLock(Object ext, int messageId) {
        kernel.schedulingPoint();
        Adapter a = adapter(ext);
        if (messageId < 0 || messageId >= a.msiLocks.length) {
            a.verifyFailed(VerifierRule.IRQL, messageId, a.msiLocks.length,
                    "StorPortAcquireMSISpinLock for message " + messageId + " without per-message synchronisation");
            return engine.kernel().currentIrql();
        }
        LockRules.check(a, io.vhba.miniport.SpinLockType.INTERRUPT_LOCK, a.msiLockGroup(messageId));
        return engine.kernel().acquire(a.msiLocks[messageId]);
    }

    @Override
    public void releaseMsiSpinLock(Object ext, int messageId, int oldIrql) {
        kernel.schedulingPoint();
        Adapter a = adapter(ext);
        if (messageId < 0 || messageId >= a.msiLocks.length) {
            a.verifyFailed(VerifierRule.SPIN_LOCK_RELEASE_NOT_HELD, messageId, 0, "no MSI lock " + messageId);
            return;
        }
        engine.kernel().release(a.msiLocks[messageId], oldIrql);
    }

    @Override
    public int getCurrentProcessorNumber(Object ext) {
        KProcessor p = engine.kernel().currentProcessor();
        return p == null ? 0 : p.number();
    }

    @Override
    public <E> boolean synchronizeAccess(E ext, HwStorSynchronizedAccess<E> r, Object context) {
        kernel.schedulingPoint();
        Adapter a = adapter(ext);
        KSpinLock[] locks = a.interruptLocks();
        int old = engine.kernel().acquireGroup(locks);
        try {
            return r.synchronizedAccess(ext, context);
        } finally {
            engine.kernel().releaseGroup(locks, old);
        }
    }

    // ---- resources and memory -----------------------------------------------------------

    @Override
    public long getDeviceBase(Object ext, InterfaceType busType, int systemIoBusNumber, long ioAddress,
                              int numberOfBytes, boolean inIoSpace) {
        Adapter a = adapter(ext);
        boolean inRange = false;
        if (a.device != null && !inIoSpace) {
            for (AccessRange r : a.device.accessRanges()) {
                if (ioAddress >= r.rangeStart() && ioAddress + numberOfBytes <= r.rangeStart() + r.rangeLength()) {
                    inRange = true;
                    break;
                }
            }
        }
        long va = inRange ? engine.mmio().map(ioAddress, numberOfBytes) : 0;
        if (va == 0) {
            a.verifyFailed(VerifierRule.BAD_DEVICE_BASE, ioAddress, numberOfBytes, String.format(
                    "StorPortGetDeviceBase(0x%X, %d%s) is not within the adapter's access ranges", ioAddress,
                    numberOfBytes, inIoSpace ? ", I/O space" : ""));
            return 0;
        }
        a.mappedWindows.add(new long[] {va, numberOfBytes});
        return va;
    }

    @Override
    public void freeDeviceBase(Object ext, long mappedAddress) {
        Adapter a = adapter(ext);
        for (long[] w : a.mappedWindows) {
            if (w[0] == mappedAddress) {
                a.mappedWindows.remove(w);
                return;
            }
        }
        a.verifyFailed(VerifierRule.BAD_DEVICE_BASE, mappedAddress, 0, String.format(
                "StorPortFreeDeviceBase(0x%X): not an address StorPortGetDeviceBase returned", mappedAddress));
    }

    @Override
    public MemoryBuffer getUncachedExtension(Object ext, PortConfigurationInformation config, int numberOfBytes) {
        Adapter a = adapter(ext);
        if (a.data().isVirtual()) {
            return null; // a virtual miniport has no DMA adapter, hence no common buffer
        }
        if (!a.inPhase(InitPhase.FIND_ADAPTER)) {
            a.verifyFailed(VerifierRule.UNCACHED_EXTENSION_WRONG_TIME, 0, 0,
                    "StorPortGetUncachedExtension outside HwStorFindAdapter");
            return null;
        }
        if (a.uncachedExtension != null) {
            if (numberOfBytes <= a.uncachedExtension.length()) {
                return a.uncachedExtension; // one common buffer per adapter, as Storport
            }
            a.verifyFailed(VerifierRule.UNCACHED_EXTENSION_WRONG_TIME, numberOfBytes, a.uncachedExtension.length(),
                    "a second, larger uncached extension requested");
            return null;
        }
        a.srbExtensionSizeAtUncached = config.getSrbExtensionSize();
        HostBuffer b = engine.hostMemory().allocateContiguous(numberOfBytes);
        a.uncachedExtension = b;
        return b;
    }

    @Override
    public PhysicalRange getPhysicalAddress(Object ext, Srb srb, long virtualAddress) {
        kernel.schedulingPoint();
        Adapter a = adapter(ext);
        HostBuffer b = engine.hostMemory().bufferAt(virtualAddress);
        boolean mine = b != null && (b == a.uncachedExtension
                || (srb instanceof EngineSrb e && e.owns(virtualAddress)));
        if (!mine) {
            a.verifyFailed(VerifierRule.BAD_VIRTUAL_ADDRESS, System.identityHashCode(ext), virtualAddress, String.format(
                    "StorPortGetPhysicalAddress(0x%X) is not in the SRB's buffers or the uncached extension", virtualAddress));
            return new PhysicalRange(0, 0);
        }
        int off = (int) (virtualAddress - b.virtualAddress());
        return new PhysicalRange(b.physicalAddress(off), b.contiguousLength(off));
    }

    @Override
    public long getVirtualAddress(Object ext, long physicalAddress) {
        HostBuffer u = adapter(ext).uncachedExtension;
        if (u != null) {
            long rel = physicalAddress - u.physicalAddress(0);
            if (rel >= 0 && rel < u.length()) {
                return u.virtualAddress() + rel;
            }
        }
        return 0; // only common-buffer addresses translate back, as in Storport
    }

    @Override
    public ScatterGatherList getScatterGatherList(Object ext, Srb srb) {
        kernel.schedulingPoint();
        Adapter a = adapter(ext);
        if (!(srb instanceof EngineSrb e) || e.state != SrbState.MINIPORT) {
            a.verifyFailed(VerifierRule.SRB_USED_AFTER_COMPLETION, 0, 0, "StorPortGetScatterGatherList for " + srb
                    + " which the miniport does not own");
            return null;
        }
        if (e.dataBuffer == null || e.dataTransferLength == 0) {
            return null;
        }
        if (e.sgList == null) {
            e.sgList = new SgList(e.dataBuffer, e.dataTransferLength);
        }
        return e.sgList;
    }

    @Override
    public Object getLogicalUnit(Object ext, int pathId, int targetId, int lun) {
        kernel.schedulingPoint();
        PortLogicalUnit u = adapter(ext).logicalUnit(pathId, targetId, lun);
        return u == null ? null : u.luExtension();
    }

    @Override
    public boolean setDeviceQueueDepth(Object ext, int pathId, int targetId, int lun, int depth) {
        kernel.schedulingPoint();
        Adapter a = adapter(ext);
        PortLogicalUnit u = a.logicalUnit(pathId, targetId, lun);
        if (u == null || depth < 1 || depth > 254 * 8) {
            return false; // legal only after the LU's first INQUIRY (STORPORT.md)
        }
        u.setQueueDepth(depth);
        a.pumpUnit(u); // a deeper queue may start requests that were waiting
        return true;
    }

    // ---- registers ----------------------------------------------------------------------

    private long read(Object ext, long va, Width w) {
        kernel.schedulingPoint();
        Adapter a = adapter(ext);
        if (!mapped(a, va, w)) {
            badRegister(a, va, w, "outside the windows the adapter mapped");
            return 0;
        }
        try {
            return engine.mmio().read(va, w);
        } catch (RegisterAccessException | UnmappedRegisterException e) {
            badRegister(a, va, w, e.getMessage());
            return 0;
        }
    }

    private void write(Object ext, long va, Width w, long value) {
        kernel.schedulingPoint();
        Adapter a = adapter(ext);
        if (!mapped(a, va, w)) {
            badRegister(a, va, w, "outside the windows the adapter mapped");
            return;
        }
        try {
            engine.mmio().write(va, w, value);
        } catch (RegisterAccessException | UnmappedRegisterException e) {
            badRegister(a, va, w, e.getMessage());
        }
    }

    private static boolean mapped(Adapter a, long va, Width w) {
        // Indexed, not iterated: every register access of every I/O comes here, and an iterator is an allocation.
        List<long[]> windows = a.mappedWindows;
        for (int i = 0, n = windows.size(); i < n; i++) {
            long[] m;
            try {
                m = windows.get(i);
            } catch (IndexOutOfBoundsException unmappedMeanwhile) {
                return false;
            }
            if (va >= m[0] && va + w.bytes() <= m[0] + m[1]) {
                return true;
            }
        }
        return false;
    }

    private static void badRegister(Adapter a, long va, Width w, String why) {
        a.verifyFailed(VerifierRule.BAD_REGISTER_ADDRESS, va, w.bytes(),
                String.format("%s register access at 0x%X: %s", w, va, why));
    }

    @Override public byte readRegisterUchar(Object ext, long r) { return (byte) read(ext, r, Width.BYTE); }
    @Override public short readRegisterUshort(Object ext, long r) { return (short) read(ext, r, Width.WORD); }
    @Override public int readRegisterUlong(Object ext, long r) { return (int) read(ext, r, Width.DWORD); }
    @Override public long readRegisterUlong64(Object ext, long r) { return read(ext, r, Width.QWORD); }
    @Override public void writeRegisterUchar(Object ext, long r, byte v) { write(ext, r, Width.BYTE, v & 0xFFL); }
    @Override public void writeRegisterUshort(Object ext, long r, short v) { write(ext, r, Width.WORD, v & 0xFFFFL); }
    @Override public void writeRegisterUlong(Object ext, long r, int v) { write(ext, r, Width.DWORD, v & 0xFFFF_FFFFL); }
    @Override public void writeRegisterUlong64(Object ext, long r, long v) { write(ext, r, Width.QWORD, v); }

    // ---- time and diagnostics -----------------------------------------------------------

    @Override
    public void stallExecution(int microseconds) {
        kernel.schedulingPoint();
        KThreadState st = KThreadState.current();
        Object ctx = st.portContext();
        String routine = st.routine();
        if (ctx instanceof Adapter a) {
            if (microseconds > 100_000) {
                a.verifyFailed(VerifierRule.STALL_TOO_LONG, microseconds, 0,
                        "StorPortStallExecution(" + microseconds + " us) exceeds 0.1 s");
            }
            if (routine != null && routine.endsWith("HwStorStartIo")) {
                a.verifyFailed(VerifierRule.STALL_TOO_LONG, microseconds, 1, "StorPortStallExecution inside HwStorStartIo");
            }
        }
        engine.kernel().stallExecution(Math.min(microseconds, 100_000));
    }

    @Override
    public void debugPrint(int level, String format, Object... arguments) {
        PortMetrics.debugPrint(engine, driver.name(), level);
        String msg = arguments.length == 0 ? format : String.format(format, arguments);
        if (level <= 1) {
            miniportLog.warn("{}", msg);
        } else if (level <= 3) {
            miniportLog.info("{}", msg);
        } else {
            miniportLog.debug("{}", msg);
        }
    }

    @Override
    public void logError(Object ext, Srb srb, int pathId, int targetId, int lun, int errorCode, int uniqueId) {
        kernel.schedulingPoint();
        Adapter a = adapter(ext);
        a.counters.loggedErrors.increment();
        PortMetrics.loggedError(engine, a, errorCode);
        a.eventLog.add(new PortEventLog.Entry("StorPortLogError", pathId + ":" + targetId + ":" + lun, String.format(
                "error 0x%08X unique 0x%08X%s", errorCode, uniqueId, srb == null ? "" : " srb " + srb)));
        miniportLog.warn("{}: StorPortLogError {}:{}:{} error 0x{} unique 0x{}", a.name(), pathId, targetId, lun,
                Integer.toHexString(errorCode), Integer.toHexString(uniqueId));
    }

    // ---- queue management, extended functions, buffers and ports (PortQueueServices) ---------

    @Override
    public boolean pause(Object ext, int timeoutSeconds) {
        kernel.schedulingPoint();
        return PortQueueServices.pause(adapter(ext), timeoutSeconds);
    }

    @Override
    public boolean resume(Object ext) {
        kernel.schedulingPoint();
        return PortQueueServices.resume(adapter(ext));
    }

    @Override
    public boolean pauseDevice(Object ext, int pathId, int targetId, int lun, int timeoutSeconds) {
        kernel.schedulingPoint();
        return PortQueueServices.pauseDevice(adapter(ext), pathId, targetId, lun, timeoutSeconds);
    }

    @Override
    public boolean resumeDevice(Object ext, int pathId, int targetId, int lun) {
        kernel.schedulingPoint();
        return PortQueueServices.resumeDevice(adapter(ext), pathId, targetId, lun);
    }

    @Override
    public boolean busy(Object ext, int requestsToComplete) {
        kernel.schedulingPoint();
        return PortQueueServices.busy(adapter(ext), requestsToComplete);
    }

    @Override
    public boolean ready(Object ext) {
        kernel.schedulingPoint();
        return PortQueueServices.ready(adapter(ext));
    }

    @Override
    public boolean deviceBusy(Object ext, int pathId, int targetId, int lun, int requestsToComplete) {
        kernel.schedulingPoint();
        return PortQueueServices.deviceBusy(adapter(ext), pathId, targetId, lun, requestsToComplete);
    }

    @Override
    public boolean deviceReady(Object ext, int pathId, int targetId, int lun) {
        kernel.schedulingPoint();
        return PortQueueServices.deviceReady(adapter(ext), pathId, targetId, lun);
    }

    @Override
    public void completeRequest(Object ext, int pathId, int targetId, int lun, io.vhba.miniport.SrbStatus srbStatus) {
        kernel.schedulingPoint();
        PortQueueServices.completeRequest(adapter(ext), pathId, targetId, lun, srbStatus);
    }

    @Override
    public Object extendedFunction(io.vhba.miniport.StorPortFunctionCode function, Object ext, Object... arguments) {
        kernel.schedulingPoint();
        return extendedFunctions.dispatch(function, adapter(ext), arguments);
    }

    @Override
    public long querySystemTime(Object ext) {
        kernel.schedulingPoint();
        adapter(ext);
        java.time.Instant now = kernel.systemTime();
        // KeQuerySystemTime: 100 ns intervals since 1601-01-01 UTC (11644473600 s before the Unix epoch).
        return (now.getEpochSecond() + 11_644_473_600L) * 10_000_000L + now.getNano() / 100;
    }

    @Override public void readRegisterBufferUchar(Object ext, long r, byte[] b, int n) { for (int i = 0; i < n; i++) { b[i] = (byte) read(ext, r + i, Width.BYTE); } }
    @Override public void readRegisterBufferUshort(Object ext, long r, short[] b, int n) { for (int i = 0; i < n; i++) { b[i] = (short) read(ext, r + 2L * i, Width.WORD); } }
    @Override public void readRegisterBufferUlong(Object ext, long r, int[] b, int n) { for (int i = 0; i < n; i++) { b[i] = (int) read(ext, r + 4L * i, Width.DWORD); } }
    @Override public void readRegisterBufferUlong64(Object ext, long r, long[] b, int n) { for (int i = 0; i < n; i++) { b[i] = read(ext, r + 8L * i, Width.QWORD); } }
    @Override public void writeRegisterBufferUchar(Object ext, long r, byte[] b, int n) { for (int i = 0; i < n; i++) { write(ext, r + i, Width.BYTE, b[i] & 0xFFL); } }
    @Override public void writeRegisterBufferUshort(Object ext, long r, short[] b, int n) { for (int i = 0; i < n; i++) { write(ext, r + 2L * i, Width.WORD, b[i] & 0xFFFFL); } }
    @Override public void writeRegisterBufferUlong(Object ext, long r, int[] b, int n) { for (int i = 0; i < n; i++) { write(ext, r + 4L * i, Width.DWORD, b[i] & 0xFFFF_FFFFL); } }
    @Override public void writeRegisterBufferUlong64(Object ext, long r, long[] b, int n) { for (int i = 0; i < n; i++) { write(ext, r + 8L * i, Width.QWORD, b[i]); } }

    // Ports: no separate I/O space in vHBA (see StorPort); the same bus, the same map checks.
    @Override public byte readPortUchar(Object ext, long p) { return (byte) read(ext, p, Width.BYTE); }
    @Override public short readPortUshort(Object ext, long p) { return (short) read(ext, p, Width.WORD); }
    @Override public int readPortUlong(Object ext, long p) { return (int) read(ext, p, Width.DWORD); }
    @Override public void writePortUchar(Object ext, long p, byte v) { write(ext, p, Width.BYTE, v & 0xFFL); }
    @Override public void writePortUshort(Object ext, long p, short v) { write(ext, p, Width.WORD, v & 0xFFFFL); }
    @Override public void writePortUlong(Object ext, long p, int v) { write(ext, p, Width.DWORD, v & 0xFFFF_FFFFL); }
    @Override public void readPortBufferUchar(Object ext, long p, byte[] b, int n) { for (int i = 0; i < n; i++) { b[i] = (byte) read(ext, p, Width.BYTE); } }
    @Override public void readPortBufferUshort(Object ext, long p, short[] b, int n) { for (int i = 0; i < n; i++) { b[i] = (short) read(ext, p, Width.WORD); } }
    @Override public void readPortBufferUlong(Object ext, long p, int[] b, int n) { for (int i = 0; i < n; i++) { b[i] = (int) read(ext, p, Width.DWORD); } }
    @Override public void writePortBufferUchar(Object ext, long p, byte[] b, int n) { for (int i = 0; i < n; i++) { write(ext, p, Width.BYTE, b[i] & 0xFFL); } }
    @Override public void writePortBufferUshort(Object ext, long p, short[] b, int n) { for (int i = 0; i < n; i++) { write(ext, p, Width.WORD, b[i] & 0xFFFFL); } }
    @Override public void writePortBufferUlong(Object ext, long p, int[] b, int n) { for (int i = 0; i < n; i++) { write(ext, p, Width.DWORD, b[i] & 0xFFFF_FFFFL); } }

    /** Whether the calling thread runs at or below {@code irql} (for the routines' IRQL rules). */
    static boolean atOrBelow(int irql) {
        return KThreadState.current().irql() <= irql;
    }

    static final int DISPATCH = Irql.DISPATCH_LEVEL;
}
