package io.vhba.emulator.storport;

import io.vhba.miniport.DriverObject;
import io.vhba.miniport.FindAdapterStatus;
import io.vhba.miniport.HwInitializationData;
import io.vhba.miniport.HwStorDpcRoutine;
import io.vhba.miniport.MiniportDriver;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.StorDpc;
import io.vhba.miniport.StorPort;
import java.util.List;

/**
 * A virtual miniport with no logical units whose only job is to own two STOR_DPCs,
 * initialised in its passive routine, running whatever routine a test plugs in.
 */
final class VirtualDpcMiniport implements MiniportDriver {
    /** The device extension. */
    static final class Ext {
        StorPort port;
        final StorDpc first = new StorDpc();
        final StorDpc second = new StorDpc();
    }

    volatile Ext ext;
    volatile HwStorDpcRoutine<Ext> routine = (d, e, a1, a2) -> { };

    @Override public String name() { return "virtualdpc"; }
    @Override public String description() { return "STOR_DPC test miniport"; }
    @Override public List<String> hardwareIds() { return List.of(); }

    @Override
    public int driverEntry(StorPort port, DriverObject driverObject, String registryPath) {
        HwInitializationData<Ext> data = HwInitializationData.<Ext>virtualBuilder(() -> {
                    Ext e = new Ext();
                    e.port = port;
                    ext = e;
                    return e;
                })
                .hwFindAdapter((e, ctx, bus, args, c) -> {
                    c.setMaximumTransferLength(1 << 16);
                    c.setNumberOfPhysicalBreaks(16);
                    return FindAdapterStatus.SP_RETURN_FOUND;
                })
                .hwInitialize(e -> e.port.enablePassiveInitialization(e, x -> {
                    HwStorDpcRoutine<Ext> dispatch = (d, y, a1, a2) -> routine.dpc(d, y, a1, a2);
                    x.port.initializeDpc(x, x.first, dispatch);
                    x.port.initializeDpc(x, x.second, dispatch);
                    return true;
                }))
                .hwStartIo((e, srb) -> {
                    srb.setSrbStatus(SrbStatus.SELECTION_TIMEOUT); // no targets: the bus scan finds nothing
                    e.port.notification(NotificationType.REQUEST_COMPLETE, e, srb);
                    return true;
                })
                .hwResetBus((e, path) -> true)
                .build();
        return port.initialize(driverObject, registryPath, data, null);
    }
}
