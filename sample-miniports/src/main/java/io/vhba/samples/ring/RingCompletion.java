package io.vhba.samples.ring;

import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbStatus;
import io.vhba.samples.common.SrbStatusRules;
import io.vhba.samples.ring.hw.HostStatus;
import java.util.EnumMap;
import java.util.Map;

/**
 * Turns a completion entry (and the sense data the device wrote into the SRB extension) into the
 * SRB's status fields, by STORPORT.md's status rules. It only fills the SRB; completing it is the
 * caller's job.
 */
final class RingCompletion {
    private RingCompletion() {}

    /** A command the device did not run to a SCSI status: the SRB status says why. */
    private static final Map<HostStatus, SrbStatus> HOST_FAILURE = new EnumMap<>(Map.of(
            HostStatus.DMA_ERROR, SrbStatus.ERROR,
            HostStatus.INVALID, SrbStatus.INVALID_REQUEST,
            HostStatus.ABORTED, SrbStatus.ABORTED,
            HostStatus.RESET, SrbStatus.BUS_RESET,
            HostStatus.DEVICE_ERROR, SrbStatus.ERROR));

    /** The completion entry's fields as {@link QueuePair.Batch#info} packs them. */
    static long info(int transferred, int dword2) {
        return (transferred & 0xFFFF_FFFFL) | (long) dword2 << 32;
    }

    static void apply(Srb srb, long info) {
        int transferred = (int) info;
        int scsiStatus = (int) (info >>> 32) & 0xFF;
        HostStatus host = HostStatus.of((int) (info >>> 40) & 0xFF);
        int senseLength = (int) (info >>> 48) & 0xFF;
        if (host != HostStatus.OK) {
            SrbStatusRules.notRun(srb, HOST_FAILURE.get(host));
            return;
        }
        // the device wrote the sense data into the SRB extension, as the submission entry asked
        SrbStatusRules.ran(srb, scsiStatus, transferred, srb.srbExtension(), RingIo.SrbExtension.SENSE,
                Math.min(senseLength, RingIo.SrbExtension.SENSE_SIZE));
    }
}
