package io.vhba.emulator.scsi.disk;

/**
 * The logical units an EXTENDED COPY may name as copy source or destination. The copy manager (the device that
 * received the command, SPC-4 6.4.1) finds each copy target by the designator of its identification CSCD descriptor,
 * which is the NAA designator the unit reports in VPD page 83h. The runtime registers one {@link CopyDomain} per
 * target device; a unit not registered anywhere reaches only itself.
 */
public interface CopyTargets {

    /** The unit whose 16-byte NAA designator is {@code naa}, or null when this copy manager cannot reach one. */
    DiskLogicalUnit find(byte[] naa);
}
