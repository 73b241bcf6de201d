package io.vhba.samples.halfduplex;

import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbStatus;
import io.vhba.samples.common.SrbStatusRules;
import io.vhba.samples.halfduplex.hw.CommandBlock;
import io.vhba.samples.halfduplex.hw.CompletionCode;
import java.util.EnumMap;
import java.util.Map;

/** A command block's completion half -> the SRB's status fields, by STORPORT.md's status rules. Completing is the caller's job. */
final class CommandBlockStatus {
    private CommandBlockStatus() {}

    /** A command the device did not run to a SCSI status. */
    private static final Map<CompletionCode, SrbStatus> FAILURE = new EnumMap<>(Map.of(
            CompletionCode.DMA_ERROR, SrbStatus.ERROR,
            CompletionCode.INVALID, SrbStatus.INVALID_REQUEST,
            CompletionCode.DEVICE_ERROR, SrbStatus.ERROR));

    static void apply(Srb srb, MemoryBuffer cb) {
        CompletionCode code = CompletionCode.of(cb.getByte(CommandBlock.COMPLETION_CODE) & 0xFF);
        if (code != CompletionCode.OK) {
            SrbStatusRules.notRun(srb, FAILURE.get(code));
            return;
        }
        SrbStatusRules.ran(srb, cb.getByte(CommandBlock.SCSI_STATUS) & 0xFF, cb.getInt(CommandBlock.TRANSFERRED),
                cb, CommandBlock.SENSE, Math.min(cb.getByte(CommandBlock.SENSE_LENGTH) & 0xFF, CommandBlock.SENSE_MAX));
    }
}
