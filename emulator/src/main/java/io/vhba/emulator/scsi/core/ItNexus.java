package io.vhba.emulator.scsi.core;

/**
 * An I_T nexus (SAM-5 4.6.9): an initiator port and a target port, by their iSCSI names
 * (RFC 7143 §4.2.7.3: {@code iqn...,i,0x<ISID>} and {@code iqn...,t,0x<TPGT>}).
 */
public record ItNexus(String initiatorPortName, String targetPortName) {

    public static ItNexus iscsi(String initiatorName, long isid, String targetName, int tpgt) {
        return new ItNexus(String.format("%s,i,0x%012x", initiatorName, isid), String.format("%s,t,0x%04x", targetName, tpgt));
    }

    /** The initiator's name without the ISID part. */
    public String initiatorName() {
        int i = initiatorPortName.indexOf(",i,");
        return i < 0 ? initiatorPortName : initiatorPortName.substring(0, i);
    }
}
