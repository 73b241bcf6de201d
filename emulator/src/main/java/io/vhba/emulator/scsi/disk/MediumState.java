package io.vhba.emulator.scsi.disk;

import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import java.util.concurrent.atomic.AtomicLong;

/** The state of the medium; one value at a time, swapped atomically by the commands that change it. */
sealed interface MediumState {

    /** Loaded and ready. */
    record Present() implements MediumState {}

    /** Ejected by START STOP UNIT with LOEJ (removable media only). */
    record Ejected() implements MediumState {}

    /** A SANITIZE or FORMAT UNIT is running; {@code done} of {@code total} units finished. */
    record InProgress(Operation operation, AtomicLong done, long total) implements MediumState {
        /** The PROGRESS INDICATION of the sense-key-specific field (SPC-4 4.5.2.4.4): a fraction of 65536. */
        int progress() {
            return total == 0 ? 0 : (int) Math.min(0xFFFF, (done.get() * 65536.0) / total);
        }

        /** NOT READY with the operation's ASC and the progress indication (SKSV set). */
        SenseData notReady() {
            return new SenseData(SenseKey.NOT_READY, operation.notReady, 0, false, 0x80_0000 | progress());
        }
    }

    /** The last SANITIZE failed; {@code ause} is the AUSE bit it was sent with (SBC-4 4.11.5). */
    record SanitizeFailed(boolean ause) implements MediumState {}

    enum Operation {
        SANITIZE(AdditionalSense.LOGICAL_UNIT_NOT_READY_SANITIZE_IN_PROGRESS),
        FORMAT(AdditionalSense.LOGICAL_UNIT_NOT_READY_FORMAT_IN_PROGRESS);

        final AdditionalSense notReady;

        Operation(AdditionalSense notReady) {
            this.notReady = notReady;
        }
    }

    MediumState PRESENT = new Present();
    MediumState EJECTED = new Ejected();
}
