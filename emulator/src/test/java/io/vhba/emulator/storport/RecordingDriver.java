package io.vhba.emulator.storport;

import io.vhba.miniport.DriverObject;
import io.vhba.miniport.HwInitializationData;
import io.vhba.miniport.MiniportDriver;
import io.vhba.miniport.StorPort;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Wraps a real miniport and records what reaches its HwStorStartIo (the SRB function, and the
 * opcode for EXECUTE_SCSI) and its HwStorResetBus, in order. Everything else passes through.
 */
final class RecordingDriver implements MiniportDriver {
    final List<String> seen = new CopyOnWriteArrayList<>();
    private final MiniportDriver inner;

    RecordingDriver(MiniportDriver inner) {
        this.inner = inner;
    }

    @Override public String name() { return inner.name(); }
    @Override public String description() { return inner.description(); }
    @Override public List<String> hardwareIds() { return inner.hardwareIds(); }

    @Override
    public int driverEntry(StorPort port, DriverObject driverObject, String registryPath) {
        StorPort recording = (StorPort) Proxy.newProxyInstance(StorPort.class.getClassLoader(), new Class<?>[] {StorPort.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("initialize") && args.length == 4 && args[2] instanceof HwInitializationData<?> d) {
                        args[2] = recording(d);
                    }
                    try {
                        return method.invoke(port, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return inner.driverEntry(recording, driverObject, registryPath);
    }

    private <E> HwInitializationData<E> recording(HwInitializationData<E> d) {
        HwInitializationData.Builder<E> b = d.isVirtual()
                ? HwInitializationData.virtualBuilder(d.deviceExtension())
                : HwInitializationData.builder(d.adapterInterfaceType(), d.deviceExtension());
        return b.specificLuExtension(d.specificLuExtension())
                .srbExtensionSize(d.srbExtensionSize())
                .numberOfAccessRanges(d.numberOfAccessRanges())
                .taggedQueuing(d.taggedQueuing())
                .autoRequestSense(d.autoRequestSense())
                .multipleRequestPerLu(d.multipleRequestPerLu())
                .needPhysicalAddresses(d.needPhysicalAddresses())
                .hwFindAdapter(d.hwFindAdapter())
                .hwInitialize(d.hwInitialize())
                .hwBuildIo(d.hwBuildIo())
                .hwInterrupt(d.hwInterrupt())
                .hwAdapterControl(d.hwAdapterControl())
                .hwStartIo((ext, srb) -> {
                    seen.add(srb.function() + (srb.cdbLength() > 0 ? String.format(" %02X", srb.cdb(0)) : ""));
                    return d.hwStartIo().startIo(ext, srb);
                })
                .hwResetBus((ext, pathId) -> {
                    seen.add("HwStorResetBus " + pathId);
                    return d.hwResetBus().resetBus(ext, pathId);
                })
                .build();
    }
}
