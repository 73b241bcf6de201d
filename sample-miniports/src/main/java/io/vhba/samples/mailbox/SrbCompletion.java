package io.vhba.samples.mailbox;

import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbStatus;
import io.vhba.samples.common.SrbStatusRules;
import io.vhba.samples.mailbox.hw.HostStatus;
import io.vhba.samples.mailbox.hw.MailboxLayout.Slot;
import java.util.EnumMap;
import java.util.Map;

/**
 * Turns a slot's completion area into the SRB's status fields, by STORPORT.md's status
 * rules. It only fills the SRB; completing it is the caller's job.
 */
final class SrbCompletion {
    private SrbCompletion() {}

    /** A command the device did not run to a SCSI status: the SRB status says why. */
    private static final Map<HostStatus, SrbStatus> HOST_FAILURE = new EnumMap<>(Map.of(
            HostStatus.DMA_ERROR, SrbStatus.ERROR,
            HostStatus.INVALID, SrbStatus.INVALID_REQUEST,
            HostStatus.ABORTED, SrbStatus.ABORTED,
            HostStatus.RESET, SrbStatus.BUS_RESET,
            HostStatus.DEVICE_ERROR, SrbStatus.ERROR));

    static void apply(Srb srb, MemoryBuffer slot) {
        HostStatus host = HostStatus.of(slot.getByte(Slot.HOST_STATUS) & 0xFF);
        if (host != HostStatus.OK) {
            SrbStatusRules.notRun(srb, HOST_FAILURE.get(host));
            return;
        }
        SrbStatusRules.ran(srb, slot.getByte(Slot.SCSI_STATUS) & 0xFF, slot.getInt(Slot.TRANSFERRED),
                slot, Slot.SENSE, Math.min(slot.getByte(Slot.SENSE_LENGTH) & 0xFF, Slot.SENSE_MAX));
    }
}
