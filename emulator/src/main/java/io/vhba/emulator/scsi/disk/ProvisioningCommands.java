package io.vhba.emulator.scsi.disk;

import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import java.io.IOException;
import java.nio.ByteBuffer;

/** WRITE SAME (10)/(16), UNMAP and GET LBA STATUS: logical block provisioning (SBC-4 4.7, 5.8, 5.32, 5.49, 5.50). */
final class ProvisioningCommands {

    /** Provisioning status of an LBA status descriptor (SBC-4 table 52). */
    private static final int MAPPED = 0x0;
    private static final int DEALLOCATED = 0x1;

    private ProvisioningCommands() {}

    /**
     * WRITE SAME: one block of Data-Out (or, with NDOB in the 16-byte form, zeros) written to every block of the
     * range. With UNMAP (thin LUNs only, ANCHOR 0) the range is deallocated instead, whatever the block holds: SBC-4
     * 5.49 table "ANCHOR bit, UNMAP bit and ANC_SUP bit relationships" says a thin provisioned logical unit should
     * deallocate each LBA; it then reads back as zeros (LBPRZ=1). ANCHOR is not supported (ANC_SUP=0, so the bit is
     * not in the usage bitmap). A NUMBER OF LOGICAL BLOCKS of zero means through the last LBA (WSNZ=0, SBC-4 5.49); a range
     * longer than MAXIMUM WRITE SAME LENGTH is refused. The Data-Out buffer is exactly one logical block (none with
     * NDOB): any other length contradicts the CDB and is refused before anything is written.
     */
    static ScsiResult writeSame(Disk d, DiskCommand entry, ScsiCommand c) {
        byte[] cdb = c.cdb();
        boolean sixteen = entry == DiskCommand.WRITE_SAME_16;
        long lba = entry.layout.lba(cdb);
        long count = entry.layout.length(cdb);
        boolean unmap = Bytes.bit(cdb, 1, 3);
        boolean ndob = sixteen && Bytes.bit(cdb, 1, 0);
        d.checkRange(lba, count);
        if (count == 0) {
            count = d.blocks() - lba;
        }
        if (count > d.config.limits().maxWriteSameLength()) {
            throw CheckCondition.invalidField(entry.layout.lengthOffset, -1);
        }
        if (Disk.dataOutLength(c) != (ndob ? 0 : d.blockSize)) {
            throw sixteen ? CheckCondition.invalidField(1, 0)
                    : new CheckCondition(SenseData.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_FIELD_IN_CDB));
        }
        if (count == 0) { // from the last LBA + 1 through the end: nothing to write
            return ScsiResult.good(Disk.dataOutLength(c));
        }
        byte[] block = new byte[d.blockSize];
        if (!ndob) {
            c.data().readDataOut(0, ByteBuffer.wrap(block));
        }
        boolean deallocate = unmap && d.config.thinProvisioning();
        RangeLock.Mode mode = deallocate ? RangeLock.Mode.EXCLUSIVE : RangeLock.Mode.SHARED;
        try (RangeLock.Held held = d.lock(lba, count, mode)) {
            if (deallocate) {
                d.deallocateMedium(lba * d.blockSize, count * d.blockSize);
            } else {
                d.fillMedium(lba, count, block, null);
            }
        }
        return d.completeWrite(false, ScsiResult.good(ndob ? 0 : d.blockSize));
    }

    /**
     * UNMAP (SBC-4 5.32): every block descriptor is checked (count and LBA limits, range) before any is applied;
     * a partial trailing descriptor is ignored. ANCHOR is not supported.
     */
    static ScsiResult unmap(Disk d, DiskCommand entry, ScsiCommand c) {
        int length = Bytes.u16(c.cdb(), 7);
        if (length == 0) {
            return ScsiResult.good(0);
        }
        if (length < 8) {
            throw CheckCondition.parameterListLengthError();
        }
        byte[] p = Disk.receiveParameterList(c, length);
        int descriptorBytes = Math.min(Bytes.u16(p, 2), length - 8);
        int descriptors = descriptorBytes / 16;
        DiskConfig.Limits limits = d.config.limits();
        if (descriptors > limits.maxUnmapDescriptors()) {
            throw CheckCondition.invalidParameter(2, -1);
        }
        long total = 0;
        for (int i = 0; i < descriptors; i++) {
            int at = 8 + 16 * i;
            long lba = Bytes.u64(p, at);
            long count = Bytes.u32(p, at + 8);
            total += count;
            if (count > limits.maxUnmapLbaCount() || total > limits.maxUnmapLbaCount()) {
                throw CheckCondition.invalidParameter(at + 8, -1);
            }
            d.checkRange(lba, count);
        }
        for (int i = 0; i < descriptors; i++) {
            int at = 8 + 16 * i;
            long lba = Bytes.u64(p, at);
            long count = Bytes.u32(p, at + 8);
            if (count > 0) {
                try (RangeLock.Held held = d.lock(lba, count, RangeLock.Mode.EXCLUSIVE)) {
                    d.deallocateMedium(lba * d.blockSize, count * d.blockSize);
                }
            }
        }
        return d.completeWrite(false, ScsiResult.good(length)); // with WCE=0 the deallocation is durable before GOOD
    }

    /**
     * GET LBA STATUS (SBC-4 5.8): LBA status descriptors from the starting LBA, one per run of equally provisioned
     * blocks, as many as the allocation length holds (at least one). On a fully provisioned LUN every block is
     * mapped. A run longer than the 32-bit NUMBER OF LOGICAL BLOCKS field continues in the next descriptor.
     */
    static ScsiResult getLbaStatus(Disk d, DiskCommand entry, ScsiCommand c) {
        byte[] cdb = c.cdb();
        long lba = Bytes.u64(cdb, 2);
        long allocation = Bytes.u32(cdb, 10);
        if (Long.compareUnsigned(lba, d.blocks()) >= 0) {
            throw CheckCondition.lbaOutOfRange();
        }
        int max = (int) Math.max(1, Math.min(1024, (allocation - 8) / 16));
        byte[] b = new byte[8 + 16 * max];
        int n = 0;
        long pos = lba;
        // One block held shared is enough to keep a resize (which takes every stripe) out: the medium's end stays put
        // while the descriptors are built.
        try (RangeLock.Held held = d.lock(lba, 1, RangeLock.Mode.SHARED)) {
            long blocks = d.blocks();
            while (n < max && pos < blocks) {
                boolean mapped = true;
                long run = blocks - pos;
                if (d.config.thinProvisioning()) {
                    BackingStore.MappingExtent e = extent(d, pos, blocks);
                    mapped = e.mapped();
                    run = Math.max(1, e.length() / d.blockSize);
                }
                run = Math.min(run, 0xFFFF_FFFFL);
                int at = 8 + 16 * n;
                Bytes.put64(b, at, pos);
                Bytes.put32(b, at + 8, run);
                b[at + 12] = (byte) (mapped ? MAPPED : DEALLOCATED);
                pos += run;
                n++;
            }
        }
        int size = 8 + 16 * n;
        Bytes.put32(b, 0, size - 4); // PARAMETER DATA LENGTH
        return ScsiResult.good(Disk.sendDataIn(c, b, size, allocation));
    }

    private static BackingStore.MappingExtent extent(Disk d, long lba, long blocks) {
        try {
            return d.store.extent(lba * d.blockSize, (blocks - lba) * d.blockSize);
        } catch (IOException e) {
            throw new CheckCondition(SenseData.withInformation(SenseKey.MEDIUM_ERROR,
                    AdditionalSense.UNRECOVERED_READ_ERROR, lba));
        }
    }
}
