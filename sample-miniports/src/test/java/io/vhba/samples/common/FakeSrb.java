package io.vhba.samples.common;

import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbFunction;
import io.vhba.miniport.SrbStatus;

/**
 * An SRB for the sample harnesses. The {@link Srb} methods are the miniport's view and fail
 * once the SRB has been completed (the port owns it then); tests read the fields directly.
 */
public final class FakeSrb implements Srb {
    public SrbFunction function = SrbFunction.EXECUTE_SCSI;
    public int srbStatusByte = SrbStatus.PENDING.code();
    public int scsiStatus;
    public int targetId;
    public int lun;
    public int queueAction = 0x20;
    public int srbFlags;
    public byte[] cdb = new byte[0];
    public int dataTransferLength;
    public MemoryBuffer dataBuffer;
    public MemoryBuffer senseInfoBuffer;
    public int senseInfoBufferLength;
    public MemoryBuffer srbExtension;
    public Srb nextSrb;
    /** Set by the harness port at RequestComplete. */
    public volatile boolean completed;

    private void owned() {
        if (completed) {
            throw new AssertionError("the miniport touched an SRB after completing it");
        }
    }

    /** The status without flag bits, for assertions. */
    public SrbStatus status() {
        return SrbStatus.of(srbStatusByte & 0x3F);
    }

    @Override public SrbFunction function() { owned(); return function; }
    @Override public SrbStatus srbStatus() { owned(); return SrbStatus.of(srbStatusByte & 0x3F); }
    @Override public int srbStatusByte() { owned(); return srbStatusByte; }
    @Override public void setSrbStatus(SrbStatus status) { owned(); srbStatusByte = status.code(); }
    @Override public void setSrbStatus(SrbStatus status, boolean autosenseValid) {
        owned();
        srbStatusByte = status.code() | (autosenseValid ? SrbStatus.AUTOSENSE_VALID : 0);
    }
    @Override public int scsiStatus() { owned(); return scsiStatus; }
    @Override public void setScsiStatus(int s) { owned(); scsiStatus = s; }
    @Override public int pathId() { owned(); return 0; }
    @Override public int targetId() { owned(); return targetId; }
    @Override public int lun() { owned(); return lun; }
    @Override public int queueTag() { owned(); return 0; }
    @Override public int queueAction() { owned(); return queueAction; }
    @Override public int srbFlags() { owned(); return srbFlags; }
    @Override public int cdbLength() { owned(); return cdb.length; }
    @Override public int cdb(int index) { owned(); return cdb[index] & 0xFF; }
    @Override public int copyCdb(byte[] dst) { owned(); System.arraycopy(cdb, 0, dst, 0, cdb.length); return cdb.length; }
    @Override public int dataTransferLength() { owned(); return dataTransferLength; }
    @Override public void setDataTransferLength(int length) { owned(); dataTransferLength = length; }
    @Override public MemoryBuffer dataBuffer() { owned(); return dataBuffer; }
    @Override public MemoryBuffer senseInfoBuffer() { owned(); return senseInfoBuffer; }
    @Override public int senseInfoBufferLength() { owned(); return senseInfoBufferLength; }
    @Override public void setSenseInfoBufferLength(int length) { owned(); senseInfoBufferLength = length; }
    @Override public int timeOutValue() { owned(); return 60; }
    @Override public MemoryBuffer srbExtension() { owned(); return srbExtension; }
    @Override public Srb nextSrb() { owned(); return nextSrb; }
}
