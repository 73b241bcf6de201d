package io.vhba.emulator.scsi.core;

/**
 * A command as the transport received it.
 *
 * @param lun        the decoded LUN (SAM-5 4.7), or -1 when the LUN field uses an unsupported format
 * @param read       the transport's Data-In flag (iSCSI R bit)
 * @param write      the transport's Data-Out flag (iSCSI W bit)
 * @param expectedDataTransferLength the transport's expected data length (iSCSI EDTL)
 * @param taskAttribute SAM-5 task attribute: 0 untagged, 1 simple, 2 ordered, 3 head of queue, 4 ACA
 */
public record CommandRequest(ItNexus nexus, ScsiTarget target, int lun, byte[] cdb, boolean read, boolean write,
                             long expectedDataTransferLength, int taskAttribute) {}
