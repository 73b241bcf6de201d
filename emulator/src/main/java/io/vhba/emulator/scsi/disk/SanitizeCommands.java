package io.vhba.emulator.scsi.disk;

import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiResult;
import java.util.concurrent.CompletableFuture;

/** SANITIZE, FORMAT UNIT and READ DEFECT DATA (SBC-4 4.11, 5.4, 5.19, 5.22, 5.23): whole-medium operations. */
final class SanitizeCommands {

    /**
     * The unit of pacing and of progress for OVERWRITE, which goes at {@link DiskConfig#overwriteRate()}; BLOCK
     * ERASE and CRYPTO ERASE deallocate, and FORMAT UNIT is not paced.
     */
    private static final long SLICE_BYTES = 8L << 20;

    private SanitizeCommands() {}

    /** SANITIZE OVERWRITE (SBC-4 5.22.2). */
    static ScsiResult overwrite(Disk d, DiskCommand entry, ScsiCommand c) {
        int length = Bytes.u16(c.cdb(), 7);
        // the parameter list is a 4-byte header and a pattern of 1..block length bytes
        if (length <= 4 || length > d.blockSize + 4) {
            throw CheckCondition.invalidField(7, -1);
        }
        byte[] p = Disk.receiveParameterList(c, length);
        boolean invert = Bytes.bit(p, 0, 7);
        int test = (Bytes.u8(p, 0) >>> 5) & 0x03;
        int passes = Bytes.u8(p, 0) & 0x1F;
        int patternLength = Bytes.u16(p, 2);
        if (test != 0) { // the vendor test modes are not implemented
            throw CheckCondition.invalidParameter(0, 6);
        }
        if (passes == 0) {
            throw CheckCondition.invalidParameter(0, 4);
        }
        if (p[1] != 0) {
            throw CheckCondition.invalidParameter(1, Bytes.highestBit(p[1]));
        }
        if (patternLength == 0 || patternLength > d.blockSize || patternLength > length - 4) {
            throw CheckCondition.invalidParameter(2, -1);
        }
        byte[] block = d.blockOf(java.util.Arrays.copyOfRange(p, 4, 4 + patternLength));
        byte[] inverted = block.clone();
        for (int i = 0; i < inverted.length; i++) {
            inverted[i] = (byte) ~inverted[i];
        }
        boolean ause = Bytes.bit(c.cdb(), 1, 5);
        long sliceBlocks = Math.max(1, SLICE_BYTES / d.blockSize);
        return answer(c, length, MediumOperation.start(d, MediumState.Operation.SANITIZE, ause, passes * d.blocks(),
                progress -> {
            long blocks = d.blocks(); // under the lock of everything: a resize waits
            MediumOperation.Pacer pacer = new MediumOperation.Pacer(d, d.config.overwriteRate());
            // INVERT: consecutive passes alternate the pattern and its complement; the last pass writes the pattern
            for (int pass = 0; pass < passes; pass++) {
                boolean complement = invert && ((passes - 1 - pass) % 2 == 1);
                byte[] image = complement ? inverted : block;
                // zeros: deallocation reads back identically and keeps a sparse store sparse
                boolean zeros = Disk.allZero(image);
                for (long lba = 0; lba < blocks; lba += sliceBlocks) {
                    long n = Math.min(sliceBlocks, blocks - lba);
                    if (zeros) {
                        d.deallocateMedium(lba * d.blockSize, n * d.blockSize);
                        progress.addAndGet(n);
                    } else {
                        d.fillMedium(lba, n, image, progress);
                    }
                    pacer.pace(progress.get() * d.blockSize);
                }
            }
        }));
    }

    /**
     * SANITIZE BLOCK ERASE (thin LUNs) and CRYPTO ERASE (SBC-4 5.22.3, 5.22.4): every block is deallocated, which
     * is what erasing the blocks, or discarding the media key, does to the data the host can read (it reads back
     * as zeros: WABEREQ and WACEREQ are 01b).
     */
    static ScsiResult erase(Disk d, DiskCommand entry, ScsiCommand c) {
        if (Bytes.u16(c.cdb(), 7) != 0) {
            throw CheckCondition.invalidField(7, -1);
        }
        return answer(c, 0, MediumOperation.start(d, MediumState.Operation.SANITIZE, Bytes.bit(c.cdb(), 1, 5), d.blocks(),
                progress -> {
            long blocks = d.blocks();
            d.deallocateMedium(0, blocks * d.blockSize);
            progress.set(blocks);
        }));
    }

    /**
     * SANITIZE EXIT FAILURE MODE (SBC-4 5.22.5, 4.11.5): leaves the sanitize failure state when the failed
     * sanitize allowed it (AUSE=1); after a failure with AUSE=0 only a successful sanitize restores the medium.
     */
    static ScsiResult exitFailureMode(Disk d, DiskCommand entry, ScsiCommand c) {
        if (Bytes.u16(c.cdb(), 7) != 0) {
            throw CheckCondition.invalidField(7, -1);
        }
        MediumState state = d.medium.get();
        if (state instanceof MediumState.SanitizeFailed failed) {
            if (!failed.ause()) {
                throw CheckCondition.invalidField(1, 4);
            }
            d.medium.compareAndSet(state, MediumState.PRESENT);
        }
        return ScsiResult.good(0);
    }

    /**
     * FORMAT UNIT (SBC-4 5.4). Without FMTDATA the medium is formatted with defaults; with it, the short or long
     * parameter list header may carry an initialization pattern (FOV and IP, pattern type 01b repeats the pattern in
     * every block). No protection information and no defect list management: PROTECTION FIELD USAGE, P_I
     * INFORMATION and a non-empty defect list are refused. The default format deallocates every block (reads zero).
     */
    static ScsiResult formatUnit(Disk d, DiskCommand entry, ScsiCommand c) {
        int b1 = Bytes.u8(c.cdb(), 1);
        boolean longList = (b1 & 0x20) != 0;
        boolean fmtData = (b1 & 0x10) != 0;
        int defectListFormat = b1 & 0x07;
        byte[] block = null;
        int taken = 0;
        boolean immed = false;
        if (!fmtData) {
            if (defectListFormat != 0) {
                throw CheckCondition.invalidField(1, 2);
            }
        } else {
            int header = longList ? 8 : 4;
            byte[] h = Disk.receiveParameterList(c, header);
            taken = header;
            if ((h[0] & 0x07) != 0) { // PROTECTION FIELD USAGE
                throw CheckCondition.invalidParameter(0, 2);
            }
            int flags = Bytes.u8(h, 1);
            boolean fov = (flags & 0x80) != 0;
            if (!fov && (flags & 0x78) != 0) { // DPRY, DCRT, STPF, IP need FOV
                throw CheckCondition.invalidParameter(1, Bytes.highestBit(flags & 0x78));
            }
            immed = (flags & 0x02) != 0;
            if (longList && h[3] != 0) { // P_I INFORMATION, PROTECTION INTERVAL EXPONENT
                throw CheckCondition.invalidParameter(3, -1);
            }
            long defects = longList ? Bytes.u32(h, 4) : Bytes.u16(h, 2);
            if (defects != 0) {
                throw CheckCondition.invalidParameter(longList ? 4 : 2, -1);
            }
            if (fov && (flags & 0x08) != 0) { // IP: an initialization pattern descriptor follows
                byte[] ip = Disk.receiveParameterList(c, header + 4);
                int type = Bytes.u8(ip, header + 1);
                int length = Bytes.u16(ip, header + 2);
                if ((ip[header] & 0xC0) != 0) { // IP MODIFIER
                    throw CheckCondition.invalidParameter(header, 7);
                }
                if (type > 1) {
                    throw CheckCondition.invalidParameter(header + 1, -1);
                }
                if (type == 1) {
                    if (length == 0 || length > d.blockSize) {
                        throw CheckCondition.invalidParameter(header + 2, -1);
                    }
                    byte[] all = Disk.receiveParameterList(c, header + 4 + length);
                    block = d.blockOf(java.util.Arrays.copyOfRange(all, header + 4, header + 4 + length));
                }
                taken = header + 4 + length;
            }
        }
        byte[] image = block;
        CompletableFuture<ScsiResult> done = MediumOperation.start(d, MediumState.Operation.FORMAT, false, d.blocks(),
                progress -> {
            long blocks = d.blocks();
            if (image == null || Disk.allZero(image)) {
                d.deallocateMedium(0, blocks * d.blockSize);
                progress.set(blocks);
            } else {
                d.fillMedium(0, blocks, image, progress);
            }
        });
        return answer(immed, taken, done);
    }

    /**
     * READ DEFECT DATA(10)/(12) (SBC-4 5.19, 5.20): this medium has no defects, so the requested lists are valid
     * and empty. Address descriptor formats 000b to 101b are accepted (the list is empty in any of them);
     * vendor-specific 110b and reserved 111b are not.
     */
    static ScsiResult readDefectData(Disk d, DiskCommand entry, ScsiCommand c) {
        byte[] cdb = c.cdb();
        boolean twelve = entry == DiskCommand.READ_DEFECT_DATA_12;
        int flagsAt = twelve ? 1 : 2;
        int flags = Bytes.u8(cdb, flagsAt) & 0x1F; // REQ_PLIST, REQ_GLIST, DEFECT LIST FORMAT
        if ((flags & 0x07) > 0b101) {
            throw CheckCondition.invalidField(flagsAt, 2);
        }
        long allocation = twelve ? Bytes.u32(cdb, 6) : Bytes.u16(cdb, 7);
        byte[] b = new byte[twelve ? 8 : 4];
        b[1] = (byte) flags; // PLISTV, GLISTV echo the request; DEFECT LIST LENGTH 0
        return ScsiResult.good(Disk.sendDataIn(c, b, b.length, allocation));
    }

    /** SANITIZE: status now with IMMED (byte 1 bit 7, SBC-4 5.22.1), else when the operation ends. */
    private static ScsiResult answer(ScsiCommand c, int transferred, CompletableFuture<ScsiResult> done) {
        return answer(Bytes.bit(c.cdb(), 1, 7), transferred, done);
    }

    private static ScsiResult answer(boolean immed, int transferred, CompletableFuture<ScsiResult> done) {
        if (immed) {
            return ScsiResult.good(transferred);
        }
        throw new StatusLater(done.thenApply(r -> r.isGood() ? ScsiResult.good(transferred)
                : ScsiResult.checkCondition(r.sense(), transferred)));
    }
}
