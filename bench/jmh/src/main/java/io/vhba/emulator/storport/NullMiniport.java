package io.vhba.emulator.storport;

import io.vhba.miniport.DriverObject;
import io.vhba.miniport.FindAdapterStatus;
import io.vhba.miniport.HwInitializationData;
import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.MiniportDriver;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.StorPort;
import java.util.List;

/**
 * A virtual miniport over a null controller: HwStorStartIo completes every request at once. The bus scan finds one
 * disk (REPORT LUNS lists LUN 0 of target 0, INQUIRY answers a direct-access device); every other command succeeds
 * and moves no data. What it leaves to measure is the port: SRB allocation, queueing, BuildIo/StartIo under the
 * StartIo lock with the verifier's checks, RequestComplete, the completion DPC and the return to the owner.
 */
final class NullMiniport implements MiniportDriver {
    static final class Ext {
        StorPort port;
    }

    @Override public String name() { return "null"; }
    @Override public String description() { return "completes every SRB in StartIo (benchmarks)"; }
    @Override public List<String> hardwareIds() { return List.of(); }

    @Override
    public int driverEntry(StorPort port, DriverObject driverObject, String registryPath) {
        HwInitializationData<Ext> data = HwInitializationData.<Ext>virtualBuilder(() -> {
                    Ext e = new Ext();
                    e.port = port;
                    return e;
                })
                .hwFindAdapter((e, ctx, bus, args, c) -> {
                    c.setMaximumTransferLength(1 << 20);
                    c.setNumberOfPhysicalBreaks(257);
                    return FindAdapterStatus.SP_RETURN_FOUND;
                })
                .hwInitialize(e -> true)
                .hwStartIo(NullMiniport::startIo)
                .hwResetBus((e, path) -> true)
                .build();
        return port.initialize(driverObject, registryPath, data, null);
    }

    private static boolean startIo(Ext e, Srb srb) {
        if (srb.targetId() != 0 || srb.lun() != 0) {
            srb.setSrbStatus(SrbStatus.SELECTION_TIMEOUT);
        } else {
            MemoryBuffer b = srb.dataBuffer();
            switch (srb.cdb(0)) {
                case 0xA0 -> { // REPORT LUNS: one LUN, 0
                    b.putInt(0, Integer.reverseBytes(8));
                    b.putInt(4, 0);
                    b.putLong(8, 0);
                    srb.setDataTransferLength(16);
                }
                case 0x12 -> { // INQUIRY: a direct-access device, SPC-4 version
                    for (int i = 0; i < 36 && i < srb.dataTransferLength(); i++) {
                        b.putByte(i, (byte) 0);
                    }
                    b.putByte(2, (byte) 6);
                    b.putByte(3, (byte) 2);
                    b.putByte(4, (byte) 31);
                    srb.setDataTransferLength(Math.min(36, srb.dataTransferLength()));
                }
                default -> { }
            }
            srb.setSrbStatus(SrbStatus.SUCCESS);
        }
        e.port.notification(NotificationType.REQUEST_COMPLETE, e, srb);
        return true;
    }
}
