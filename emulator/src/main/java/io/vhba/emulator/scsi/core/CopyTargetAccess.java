package io.vhba.emulator.scsi.core;

import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.scsi.core.access.LunMask;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.ScsiOpcode;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import java.util.Arrays;

/**
 * EXTENDED COPY may only name LUNs its initiator may see. The copy manager runs in the device behind the adapter,
 * which never learns the I_T nexus of a command, so the core reads the CSCD descriptor list of the parameter data
 * (SPC-4 6.4.3, 6.4.5.3) before the command leaves it. LIO resolved identification descriptors against every device
 * of the system and let an initiator copy from LUNs it was not mapped to (CVE-2020-28374); its fix answers COPY
 * ABORTED, COPY TARGET DEVICE NOT REACHABLE (0Dh/02h), which is what the device itself answers for a designator it
 * cannot resolve, so a masked LUN looks exactly like one that does not exist.
 */
final class CopyTargetAccess {
    private static final int HEADER_LENGTH = 16;
    private static final int CSCD_DESCRIPTOR_LENGTH = 32;
    private static final int IDENTIFICATION_DESCRIPTOR = 0xE4;
    /** The field pointer the device gives for an unresolvable designator: the descriptor's CODE SET byte. */
    private static final int DESIGNATOR_FIELD = 4;

    private CopyTargetAccess() {}

    /** COPY ABORTED when the list of an EXTENDED COPY(LID1) names a LUN {@code visible} hides, else null. */
    static CommandOutcome check(CommandRequest r, LunMask visible, HostBuffer data, int length) {
        byte[] cdb = r.cdb();
        if ((cdb[0] & 0xFF) != ScsiOpcode.EXTENDED_COPY.code() || (cdb[1] & 0x1F) != 0 || data == null
                || length < HEADER_LENGTH) {
            return null; // not LID1, or no list: the device answers as it does for everyone
        }
        int cscdLength = (data.getByte(2) & 0xFF) << 8 | data.getByte(3) & 0xFF;
        int end = Math.min(length, HEADER_LENGTH + cscdLength);
        byte[] descriptor = new byte[CSCD_DESCRIPTOR_LENGTH];
        for (int o = HEADER_LENGTH; o + CSCD_DESCRIPTOR_LENGTH <= end; o += CSCD_DESCRIPTOR_LENGTH) {
            data.get(o, descriptor, 0, CSCD_DESCRIPTOR_LENGTH);
            if ((descriptor[0] & 0xFF) != IDENTIFICATION_DESCRIPTOR) {
                continue; // the device refuses other descriptor types itself
            }
            int designatorLength = Math.min(descriptor[7] & 0xFF, CSCD_DESCRIPTOR_LENGTH - 8);
            byte[] designator = Arrays.copyOfRange(descriptor, 8, 8 + designatorLength);
            for (TargetLun l : r.target().luns()) {
                if (!visible.includes(l.lun()) && l.hasDesignator(designator)) {
                    int segmentPointer = 0x80_0000 | ((o + DESIGNATOR_FIELD) & 0xFFFF); // SKSV, SD=0 (SPC-4 4.5.2.4.6)
                    return CommandOutcome.checkCondition(new SenseData(SenseKey.COPY_ABORTED,
                            AdditionalSense.COPY_TARGET_DEVICE_NOT_REACHABLE, 0, false, segmentPointer));
                }
            }
        }
        return null;
    }
}
