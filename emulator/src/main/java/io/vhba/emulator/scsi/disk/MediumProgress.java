package io.vhba.emulator.scsi.disk;

/**
 * How far a whole-medium operation (SANITIZE, FORMAT UNIT) has come: the same count REQUEST SENSE reports as its
 * PROGRESS INDICATION (SPC-4 4.5.2.4.4), for the management API.
 *
 * @param operation {@code SANITIZE} or {@code FORMAT}
 * @param done      units finished
 * @param total     units announced
 */
public record MediumProgress(String operation, long done, long total) {

    /** Percent done, 0..100. */
    public double percent() {
        return total <= 0 ? 0 : Math.min(100.0, done * 100.0 / total);
    }
}
