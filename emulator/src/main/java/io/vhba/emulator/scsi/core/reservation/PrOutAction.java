package io.vhba.emulator.scsi.core.reservation;

/** PERSISTENT RESERVE OUT service actions (SPC-4 table 171) this device server processes. */
public enum PrOutAction {
    REGISTER(0x00),
    RESERVE(0x01),
    RELEASE(0x02),
    CLEAR(0x03),
    PREEMPT(0x04),
    PREEMPT_AND_ABORT(0x05),
    REGISTER_AND_IGNORE_EXISTING_KEY(0x06),
    REGISTER_AND_MOVE(0x07);

    private final int code;

    PrOutAction(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The action for a SERVICE ACTION value, or null (REPLACE LOST RESERVATION and reserved values). */
    public static PrOutAction of(int code) {
        for (PrOutAction a : values()) {
            if (a.code == code) {
                return a;
            }
        }
        return null;
    }
}
