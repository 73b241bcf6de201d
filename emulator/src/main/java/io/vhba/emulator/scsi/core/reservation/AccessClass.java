package io.vhba.emulator.scsi.core.reservation;

/**
 * How a command fares in the presence of a reservation held by another I_T nexus: one column
 * pattern of SPC-4 table 63 / SBC-4 table 13 ("commands that are allowed in the presence of
 * various reservations") plus the SPC-2 reservation rule (SPC-2 5.5.1).
 */
public enum AccessClass {
    /** Allowed under every reservation, SPC-2 included (INQUIRY, REPORT LUNS, REQUEST SENSE, LOG SENSE...). */
    ALWAYS(false),
    /** Allowed under every persistent reservation, conflicts with an SPC-2 reservation (TEST UNIT READY, READ CAPACITY, PR IN/OUT). */
    PERSISTENT_ALLOWED(true),
    /** Reads: allowed under the Write Exclusive types, allowed for registrants under RO/AR types, otherwise conflict. */
    READ(true),
    /** Writes and state changes: allowed only for registrants under RO/AR types. */
    WRITE(true);

    private final boolean conflictsWithSpc2;

    AccessClass(boolean conflictsWithSpc2) {
        this.conflictsWithSpc2 = conflictsWithSpc2;
    }

    /** Whether a command of this class from a non-holder conflicts with a persistent reservation of {@code type}. */
    public boolean conflicts(PrType type, boolean registered) {
        return switch (this) {
            case ALWAYS, PERSISTENT_ALLOWED -> false;
            case READ -> type.exclusiveAccess() && !(registered && type.registrantsAccess());
            case WRITE -> !(registered && type.registrantsAccess());
        };
    }

    /** Whether a command of this class from another I_T nexus conflicts with an SPC-2 reservation. */
    public boolean conflictsWithSpc2() {
        return conflictsWithSpc2;
    }
}
