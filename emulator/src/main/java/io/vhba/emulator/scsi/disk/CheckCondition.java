package io.vhba.emulator.scsi.disk;

import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;

/**
 * Ends a command with CHECK CONDITION and the given sense; thrown from anywhere inside a handler and turned into a
 * {@link io.vhba.hw.ScsiResult} by {@link DiskLogicalUnit}. Carries no stack trace: it is an answer, not a bug.
 */
final class CheckCondition extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient SenseData sense;
    private final int transferred;

    CheckCondition(SenseData sense) {
        this(sense, 0);
    }

    CheckCondition(SenseData sense, int transferred) {
        super(sense.senseKey() + " " + sense.sense(), null, false, false);
        this.sense = sense;
        this.transferred = transferred;
    }

    static CheckCondition of(SenseKey key, AdditionalSense asc) {
        return new CheckCondition(SenseData.of(key, asc));
    }

    /** ILLEGAL REQUEST / INVALID FIELD IN CDB pointing at {@code byteOffset} (and {@code bit}, or -1 for none). */
    static CheckCondition invalidField(int byteOffset, int bit) {
        return new CheckCondition(SenseData.invalidFieldInCdb(byteOffset, bit));
    }

    /** ILLEGAL REQUEST / INVALID FIELD IN PARAMETER LIST pointing at {@code byteOffset} (and {@code bit}, or -1). */
    static CheckCondition invalidParameter(int byteOffset, int bit) {
        return new CheckCondition(SenseData.invalidFieldInParameterList(byteOffset, bit));
    }

    static CheckCondition parameterListLengthError() {
        return of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.PARAMETER_LIST_LENGTH_ERROR);
    }

    static CheckCondition lbaOutOfRange() {
        return of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE);
    }

    SenseData sense() {
        return sense;
    }

    int transferred() {
        return transferred;
    }
}
