package io.vhba.emulator.it.misbehaving;

import io.vhba.miniport.DriverObject;
import io.vhba.miniport.FindAdapterStatus;
import io.vhba.miniport.HwInitializationData;
import io.vhba.miniport.HwStorDpcRoutine;
import io.vhba.miniport.MiniportDriver;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbFunction;
import io.vhba.miniport.StorPort;
import io.vhba.samples.virtual.VirtualMiniport;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code virtual} sample with one {@link Fault} planted in it, for tests of what the port does with
 * a miniport that throws or hangs. Shipped to the emulator as an external driver (the test writes a jar of
 * this package and the sample with its own service file), so it runs in a driver class loader of its own.
 * The fault is planted by wrapping the routines the sample hands to StorPortInitialize and
 * StorPortInitializeDpc; everything else is the sample's.
 */
public abstract class MisbehavingMiniport implements MiniportDriver {
    /** A READ(10) or WRITE(10) of this LBA trips the I/O faults; every other request runs normally. */
    public static final long POISON_LBA = 0x4242;

    private final Fault fault;
    private final MiniportDriver sample = new VirtualMiniport();
    /** Device extensions whose next DPC run must hang (a poisoned request is queued). */
    private final Set<Object> doomed = ConcurrentHashMap.newKeySet();

    protected MisbehavingMiniport(Fault fault) {
        this.fault = fault;
    }

    @Override
    public String name() {
        return fault.driverName();
    }

    @Override
    public String description() {
        return "the virtual sample with a fault planted: " + fault;
    }

    @Override
    public List<String> hardwareIds() {
        return List.of();
    }

    @Override
    public int driverEntry(StorPort storPort, DriverObject driverObject, String registryPath) {
        StorPort planted = (StorPort) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {StorPort.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("initialize") && args.length == 4) {
                        args[2] = plant((HwInitializationData<?>) args[2]);
                    } else if (method.getName().equals("initializeDpc") && fault == Fault.HANG_IN_DPC) {
                        args[2] = hangWhenDoomed((HwStorDpcRoutine<?>) args[2]);
                    }
                    try {
                        return method.invoke(storPort, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return sample.driverEntry(planted, driverObject, registryPath);
    }

    @SuppressWarnings("unchecked")
    private <E> HwInitializationData<E> plant(HwInitializationData<E> d) {
        HwInitializationData.Builder<E> b = HwInitializationData.<E>virtualBuilder(d.deviceExtension())
                .specificLuExtension(d.specificLuExtension()).srbExtensionSize(d.srbExtensionSize())
                .taggedQueuing(d.taggedQueuing()).autoRequestSense(d.autoRequestSense())
                .multipleRequestPerLu(d.multipleRequestPerLu()).needPhysicalAddresses(d.needPhysicalAddresses())
                .hwFindAdapter(d.hwFindAdapter()).hwInitialize(d.hwInitialize()).hwStartIo(d.hwStartIo())
                .hwBuildIo(d.hwBuildIo()).hwResetBus(d.hwResetBus()).hwAdapterControl(d.hwAdapterControl());
        switch (fault) {
            case THROW_IN_FIND_ADAPTER -> b.hwFindAdapter((ext, ctx, bus, arg, config) -> {
                throw new IllegalStateException("planted: FindAdapter fails");
            });
            case HANG_IN_FIND_ADAPTER -> b.hwFindAdapter((ext, ctx, bus, arg, config) -> {
                waitForever(true);
                return FindAdapterStatus.SP_RETURN_NOT_FOUND;
            });
            case HANG_IN_FIND_ADAPTER_FOREVER -> b.hwFindAdapter((ext, ctx, bus, arg, config) -> {
                waitForever(false);
                return FindAdapterStatus.SP_RETURN_NOT_FOUND;
            });
            case THROW_IN_START_IO -> b.hwStartIo((ext, srb) -> {
                if (poisoned(srb)) {
                    throw new IllegalStateException("planted: StartIo fails on LBA 0x" + Long.toHexString(POISON_LBA));
                }
                return d.hwStartIo().startIo(ext, srb);
            });
            case HANG_IN_DPC -> b.hwStartIo((ext, srb) -> {
                if (poisoned(srb)) {
                    doomed.add(ext);
                }
                return d.hwStartIo().startIo(ext, srb);
            });
        }
        return b.build();
    }

    private <E> HwStorDpcRoutine<E> hangWhenDoomed(HwStorDpcRoutine<E> routine) {
        return (dpc, ext, a1, a2) -> {
            if (doomed.remove(ext)) {
                waitForever(true);
                return;
            }
            routine.dpc(dpc, ext, a1, a2);
        };
    }

    /** READ(10) or WRITE(10) of {@link #POISON_LBA}. */
    private static boolean poisoned(Srb srb) {
        if (srb.function() != SrbFunction.EXECUTE_SCSI || srb.cdbLength() < 10) {
            return false;
        }
        byte[] cdb = new byte[16];
        srb.copyCdb(cdb);
        int op = cdb[0] & 0xFF;
        long lba = ((cdb[2] & 0xFFL) << 24) | ((cdb[3] & 0xFFL) << 16) | ((cdb[4] & 0xFFL) << 8) | (cdb[5] & 0xFFL);
        return (op == 0x28 || op == 0x2A) && lba == POISON_LBA;
    }

    /** Waits for an event that never comes; an interrupt (the kernel's at shutdown) ends it when allowed to. */
    private static void waitForever(boolean interruptible) {
        for (;;) {
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(60));
            if (Thread.interrupted() && interruptible) {
                return;
            }
        }
    }
}
