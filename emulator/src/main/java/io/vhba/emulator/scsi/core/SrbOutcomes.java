package io.vhba.emulator.scsi.core;

import io.vhba.emulator.storport.EngineSrb;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.ScsiStatus;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import java.util.EnumMap;
import java.util.Map;

/**
 * What an initiator sees for each way an SRB can end (srb.h status -> SAM-5 status and SPC-4
 * sense). SUCCESS and DATA_OVERRUN carry the device's own status; ERROR carries the SCSI status
 * and autosense the miniport reported; port-level failures become the sense an initiator can
 * act on.
 */
final class SrbOutcomes {
    private static final Map<SrbStatus, SenseData> SENSE_FOR_PORT_FAILURE = new EnumMap<>(SrbStatus.class);

    static {
        SenseData lunFailure = SenseData.of(SenseKey.HARDWARE_ERROR, AdditionalSense.LOGICAL_UNIT_FAILURE);
        SENSE_FOR_PORT_FAILURE.put(SrbStatus.NO_HBA, lunFailure);
        SENSE_FOR_PORT_FAILURE.put(SrbStatus.INTERNAL_ERROR, SenseData.of(SenseKey.HARDWARE_ERROR, AdditionalSense.INTERNAL_TARGET_FAILURE));
        SENSE_FOR_PORT_FAILURE.put(SrbStatus.BUS_RESET, SenseData.of(SenseKey.UNIT_ATTENTION, AdditionalSense.SCSI_BUS_RESET_OCCURRED));
        SENSE_FOR_PORT_FAILURE.put(SrbStatus.TIMEOUT, SenseData.of(SenseKey.ABORTED_COMMAND, AdditionalSense.COMMAND_TIMEOUT_DURING_PROCESSING));
        SENSE_FOR_PORT_FAILURE.put(SrbStatus.COMMAND_TIMEOUT, SenseData.of(SenseKey.ABORTED_COMMAND, AdditionalSense.COMMAND_TIMEOUT_DURING_PROCESSING));
        SENSE_FOR_PORT_FAILURE.put(SrbStatus.SELECTION_TIMEOUT, SenseData.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.LOGICAL_UNIT_NOT_SUPPORTED));
        SENSE_FOR_PORT_FAILURE.put(SrbStatus.NO_DEVICE, SenseData.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.LOGICAL_UNIT_NOT_SUPPORTED));
        SENSE_FOR_PORT_FAILURE.put(SrbStatus.INVALID_LUN, SenseData.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.LOGICAL_UNIT_NOT_SUPPORTED));
        SENSE_FOR_PORT_FAILURE.put(SrbStatus.INVALID_TARGET_ID, SenseData.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.LOGICAL_UNIT_NOT_SUPPORTED));
        SENSE_FOR_PORT_FAILURE.put(SrbStatus.INVALID_PATH_ID, SenseData.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.LOGICAL_UNIT_NOT_SUPPORTED));
        SENSE_FOR_PORT_FAILURE.put(SrbStatus.INVALID_REQUEST, SenseData.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_COMMAND_OPERATION_CODE));
        SENSE_FOR_PORT_FAILURE.put(SrbStatus.BAD_FUNCTION, SenseData.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_COMMAND_OPERATION_CODE));
        SENSE_FOR_PORT_FAILURE.put(SrbStatus.LINK_DOWN, SenseData.of(SenseKey.NOT_READY, AdditionalSense.LOGICAL_UNIT_COMMUNICATION_FAILURE));
        SENSE_FOR_PORT_FAILURE.put(SrbStatus.NOT_POWERED, SenseData.of(SenseKey.NOT_READY, AdditionalSense.LOGICAL_UNIT_NOT_READY_CAUSE_NOT_REPORTABLE));
        SENSE_FOR_PORT_FAILURE.put(SrbStatus.REQUEST_FLUSHED, SenseData.of(SenseKey.ABORTED_COMMAND, AdditionalSense.NO_ADDITIONAL_SENSE_INFORMATION));
        SENSE_FOR_PORT_FAILURE.put(SrbStatus.ERROR_RECOVERY, SenseData.of(SenseKey.ABORTED_COMMAND, AdditionalSense.NO_ADDITIONAL_SENSE_INFORMATION));
        SENSE_FOR_PORT_FAILURE.put(SrbStatus.PARITY_ERROR, SenseData.of(SenseKey.ABORTED_COMMAND, AdditionalSense.NO_ADDITIONAL_SENSE_INFORMATION));
        SENSE_FOR_PORT_FAILURE.put(SrbStatus.UNEXPECTED_BUS_FREE, SenseData.of(SenseKey.ABORTED_COMMAND, AdditionalSense.NO_ADDITIONAL_SENSE_INFORMATION));
        SENSE_FOR_PORT_FAILURE.put(SrbStatus.PHASE_SEQUENCE_FAILURE, SenseData.of(SenseKey.ABORTED_COMMAND, AdditionalSense.NO_ADDITIONAL_SENSE_INFORMATION));
        SENSE_FOR_PORT_FAILURE.put(SrbStatus.MESSAGE_REJECTED, SenseData.of(SenseKey.ABORTED_COMMAND, AdditionalSense.NO_ADDITIONAL_SENSE_INFORMATION));
        SENSE_FOR_PORT_FAILURE.put(SrbStatus.REQUEST_SENSE_FAILED, SenseData.of(SenseKey.ABORTED_COMMAND, AdditionalSense.NO_ADDITIONAL_SENSE_INFORMATION));
        SENSE_FOR_PORT_FAILURE.put(SrbStatus.BAD_SRB_BLOCK_LENGTH, SenseData.of(SenseKey.HARDWARE_ERROR, AdditionalSense.INTERNAL_TARGET_FAILURE));
    }

    private SrbOutcomes() {}

    /** The status and sense for a completed SRB; data handling is the caller's. */
    static CommandOutcome of(EngineSrb srb) {
        SrbStatus s = srb.portSrbStatus();
        switch (s) {
            case SUCCESS, DATA_OVERRUN -> {
                return CommandOutcome.of(ScsiStatus.GOOD);
            }
            case ERROR -> {
                byte[] sense = srb.portSense();
                int st = srb.portScsiStatus();
                if (st == ScsiStatus.GOOD.code()) {
                    // ERROR without a SCSI status: the HBA failed the request.
                    return CommandOutcome.checkCondition(SenseData.of(SenseKey.HARDWARE_ERROR, AdditionalSense.INTERNAL_TARGET_FAILURE));
                }
                ScsiStatus status;
                try {
                    status = ScsiStatus.of(st);
                } catch (IllegalArgumentException e) {
                    return CommandOutcome.checkCondition(SenseData.of(SenseKey.HARDWARE_ERROR, AdditionalSense.INTERNAL_TARGET_FAILURE));
                }
                if (status == ScsiStatus.CHECK_CONDITION && sense.length == 0) {
                    // CHECK CONDITION without autosense: nothing to tell the initiator but "failed".
                    return CommandOutcome.checkCondition(SenseData.of(SenseKey.HARDWARE_ERROR, AdditionalSense.INTERNAL_TARGET_FAILURE));
                }
                return new CommandOutcome(status, sense.length == 0 ? null : sense, null, 0, 0);
            }
            case BUSY -> {
                return CommandOutcome.of(ScsiStatus.BUSY);
            }
            case INSUFFICIENT_RESOURCES, THROTTLED_REQUEST -> {
                return CommandOutcome.of(ScsiStatus.TASK_SET_FULL);
            }
            case ABORTED -> {
                return CommandOutcome.of(ScsiStatus.TASK_ABORTED);
            }
            default -> {
                SenseData sense = SENSE_FOR_PORT_FAILURE.getOrDefault(s,
                        SenseData.of(SenseKey.HARDWARE_ERROR, AdditionalSense.INTERNAL_TARGET_FAILURE));
                return CommandOutcome.checkCondition(sense);
            }
        }
    }
}
