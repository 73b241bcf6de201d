package io.vhba.emulator.scsi.core.reservation;

import io.vhba.emulator.scsi.core.ItNexus;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.ScsiStatus;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import java.util.List;

/**
 * The answer to a reservation command: status, sense or parameter data, and what else must happen
 * (unit attentions for other I_T nexuses, aborted tasks for PREEMPT AND ABORT).
 */
public record PrAnswer(ScsiStatus status, SenseData sense, byte[] data, List<Effect> effects) {

    /** Something the core does after the state changed. */
    public sealed interface Effect {}

    /** Establish {@code condition} for {@code nexus} on this logical unit (SPC-4 5.13.11). */
    public record UnitAttention(ItNexus nexus, AdditionalSense condition) implements Effect {}

    /** Abort every task of {@code nexus} on this logical unit (PREEMPT AND ABORT, SPC-4 5.13.11.2.6). */
    public record AbortTasks(ItNexus nexus) implements Effect {}

    public PrAnswer {
        effects = List.copyOf(effects);
    }

    static PrAnswer good() {
        return new PrAnswer(ScsiStatus.GOOD, null, null, List.of());
    }

    static PrAnswer good(List<Effect> effects) {
        return new PrAnswer(ScsiStatus.GOOD, null, null, effects);
    }

    static PrAnswer data(byte[] data) {
        return new PrAnswer(ScsiStatus.GOOD, null, data, List.of());
    }

    static PrAnswer conflict() {
        return new PrAnswer(ScsiStatus.RESERVATION_CONFLICT, null, null, List.of());
    }

    static PrAnswer check(SenseData sense) {
        return new PrAnswer(ScsiStatus.CHECK_CONDITION, sense, null, List.of());
    }

    static PrAnswer parameterListLengthError() {
        return check(SenseData.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.PARAMETER_LIST_LENGTH_ERROR));
    }
}
