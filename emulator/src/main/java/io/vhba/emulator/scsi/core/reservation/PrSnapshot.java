package io.vhba.emulator.scsi.core.reservation;

import java.util.List;

/**
 * The persistent reservation state of one logical unit as the APTPL state file holds it
 * (SPC-4 5.13.5): the registrations by I_T nexus, the reservation, and PRgeneration.
 */
public record PrSnapshot(int version, long generation, List<SavedRegistration> registrations, SavedReservation reservation) {
    static final int VERSION = 1;

    public PrSnapshot {
        registrations = registrations == null ? List.of() : List.copyOf(registrations);
    }

    public record SavedRegistration(String initiatorPort, String targetPort, long key, boolean allTargetPorts) {}

    public record SavedReservation(String initiatorPort, String targetPort, int type) {}
}
