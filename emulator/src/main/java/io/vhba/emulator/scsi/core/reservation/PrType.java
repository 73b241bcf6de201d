package io.vhba.emulator.scsi.core.reservation;

/** The persistent reservation types (SPC-4 table 168) and the access each grants (SPC-4 5.13.1). */
public enum PrType {
    WRITE_EXCLUSIVE(0x1, false, false, false),
    EXCLUSIVE_ACCESS(0x3, true, false, false),
    WRITE_EXCLUSIVE_REGISTRANTS_ONLY(0x5, false, true, false),
    EXCLUSIVE_ACCESS_REGISTRANTS_ONLY(0x6, true, true, false),
    WRITE_EXCLUSIVE_ALL_REGISTRANTS(0x7, false, true, true),
    EXCLUSIVE_ACCESS_ALL_REGISTRANTS(0x8, true, true, true);

    private final int code;
    private final boolean exclusiveAccess;
    private final boolean registrantsAccess;
    private final boolean allRegistrants;

    PrType(int code, boolean exclusiveAccess, boolean registrantsAccess, boolean allRegistrants) {
        this.code = code;
        this.exclusiveAccess = exclusiveAccess;
        this.registrantsAccess = registrantsAccess;
        this.allRegistrants = allRegistrants;
    }

    public int code() {
        return code;
    }

    /** Reads by non-holders conflict too (the EXCLUSIVE ACCESS family). */
    public boolean exclusiveAccess() {
        return exclusiveAccess;
    }

    /** Every registered I_T nexus has the holder's access (REGISTRANTS ONLY and ALL REGISTRANTS). */
    public boolean registrantsAccess() {
        return registrantsAccess;
    }

    /** Every registered I_T nexus is a reservation holder (SPC-4 5.13.10). */
    public boolean allRegistrants() {
        return allRegistrants;
    }

    /** The type for a TYPE field value, or null when the value is reserved or obsolete. */
    public static PrType of(int code) {
        for (PrType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
