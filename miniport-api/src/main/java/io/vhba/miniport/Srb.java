package io.vhba.miniport;

/**
 * {@code SCSI_REQUEST_BLOCK}: one request from the port to the miniport.
 *
 * <p>The miniport owns the SRB from the moment it reaches {@code HwStorBuildIo} until it
 * calls {@code StorPortNotification(RequestComplete, ...)}; after that the port owns it and
 * any access is a verifier finding (STORPORT.md, "The life of an SRB").
 */
public interface Srb {

    /** {@code Function}. */
    SrbFunction function();

    /** {@code SRB_STATUS(SrbStatus)}: the status without its flag bits. */
    SrbStatus srbStatus();

    /** The raw {@code SrbStatus} byte, flags included. */
    int srbStatusByte();

    /** {@code Srb->SrbStatus = status}. */
    void setSrbStatus(SrbStatus status);

    /** {@code Srb->SrbStatus = status | SRB_STATUS_AUTOSENSE_VALID} when {@code autosenseValid}. */
    void setSrbStatus(SrbStatus status, boolean autosenseValid);

    /** {@code ScsiStatus}: the SCSI status byte (SAM-5), for example 0x02 CHECK CONDITION. */
    int scsiStatus();

    void setScsiStatus(int scsiStatus);

    int pathId();

    int targetId();

    int lun();

    /** {@code QueueTag}: unique among this adapter's outstanding tagged requests. */
    int queueTag();

    /** {@code QueueAction}: SIMPLE (0x20), HEAD OF QUEUE (0x21) or ORDERED (0x22). */
    int queueAction();

    /** {@code SrbFlags}: see {@link SrbFlags}. */
    int srbFlags();

    int cdbLength();

    /** One byte of the CDB, unsigned. */
    int cdb(int index);

    /** Copies the CDB into {@code dst} and returns its length. */
    int copyCdb(byte[] dst);

    /** {@code DataTransferLength}: the buffer length on entry; the miniport lowers it to the count moved on underrun. */
    int dataTransferLength();

    void setDataTransferLength(int length);

    /** {@code DataBuffer}: null when no data moves. */
    MemoryBuffer dataBuffer();

    /** {@code SenseInfoBuffer}: null when autosense is disabled. */
    MemoryBuffer senseInfoBuffer();

    /** {@code SenseInfoBufferLength}: the room in the sense buffer; lowered by the miniport to the bytes it wrote. */
    int senseInfoBufferLength();

    void setSenseInfoBufferLength(int length);

    /** {@code TimeOutValue} in seconds. */
    int timeOutValue();

    /** {@code SrbExtension}: {@code SrbExtensionSize} bytes of DMA-able memory, or null if that size is 0. Not preserved across a BUSY requeue. */
    MemoryBuffer srbExtension();

    /** {@code NextSrb}: for {@link SrbFunction#ABORT_COMMAND}, the SRB to abort. */
    Srb nextSrb();
}
