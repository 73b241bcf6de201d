package io.vhba.emulator.storport;

import io.vhba.miniport.scsi.AdditionalSense;

/**
 * Who tells the initiators that a logical unit changed behind their back: a reset the port
 * issued (SAM-5 6.3: a LOGICAL UNIT RESET, target reset or bus reset establishes a unit
 * attention of the 29h family for every I_T nexus), or a rescan after BusChangeDetected
 * (SPC-4 6.33: REPORTED LUNS DATA HAS CHANGED). The runtime wires it to the SCSI target core,
 * so the port does not depend on the core. Called on a processor thread with no lock held.
 */
@FunctionalInterface
public interface UnitAttentionListener {

    void establish(PortLogicalUnit unit, AdditionalSense condition);

    UnitAttentionListener NONE = (unit, condition) -> { };
}
