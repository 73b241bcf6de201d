package io.vhba.emulator.iscsi.codec;

/** A header the decoder refuses, with the defect to report. Internal to the codec. */
final class HeaderDefectException extends Exception {
    private static final long serialVersionUID = 1L;

    private final PduDefect defect;

    HeaderDefectException(PduDefect defect, String detail) {
        super(detail, null, false, false);
        this.defect = defect;
    }

    PduDefect defect() {
        return defect;
    }
}
