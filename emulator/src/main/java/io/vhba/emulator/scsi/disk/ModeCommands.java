package io.vhba.emulator.scsi.disk;

import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** MODE SENSE(6)/(10) and MODE SELECT(6)/(10) (SPC-4 6.11, 6.12, 6.13, 6.14; SBC-4 6.5). */
final class ModeCommands {

    /** Device-specific parameter (SBC-4 6.5.1): WP in bit 7, DPOFUA in bit 4 (DPO and FUA are honoured). */
    private static final int WP = 0x80;
    private static final int DPOFUA = 0x10;

    /**
     * Where MODE SELECT SP=1 saves its pages: one daemon thread, kept only while saves come in (saving is rare and
     * only file LUNs support it).
     */
    private static final ThreadPoolExecutor SAVES = new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "vhba-mode-page-save");
                t.setDaemon(true);
                return t;
            });

    private ModeCommands() {}

    static ScsiResult modeSense(Disk d, DiskCommand entry, ScsiCommand c) {
        byte[] cdb = c.cdb();
        boolean ten = entry == DiskCommand.MODE_SENSE_10;
        boolean dbd = Bytes.bit(cdb, 1, 3);
        boolean llbaa = ten && Bytes.bit(cdb, 1, 4);
        int pc = Bytes.u8(cdb, 2) >>> 6;
        int pageCode = Bytes.u8(cdb, 2) & 0x3F;
        int subpage = Bytes.u8(cdb, 3);
        long allocation = ten ? Bytes.u16(cdb, 7) : Bytes.u8(cdb, 4);
        if (pc == 3 && !d.mode.savingSupported()) {
            throw CheckCondition.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.SAVING_PARAMETERS_NOT_SUPPORTED);
        }
        List<ModePage> pages = new ArrayList<>();
        if (pageCode == ModePage.ALL_PAGES) {
            if (subpage != 0x00 && subpage != 0xFF) { // FFh: all pages and subpages; this device has no subpages
                throw CheckCondition.invalidField(3, -1);
            }
            pages.addAll(List.of(ModePage.values()));
        } else {
            ModePage p = ModePage.of(pageCode);
            if (p == null) {
                throw CheckCondition.invalidField(2, 5);
            }
            if (subpage != 0) {
                throw CheckCondition.invalidField(3, -1);
            }
            pages.add(p);
        }

        int header = ten ? 8 : 4;
        int descriptor = dbd ? 0 : llbaa ? 16 : 8;
        int total = header + descriptor + pages.stream().mapToInt(p -> p.length).sum();
        byte[] out = new byte[total];
        int dsp = (d.writeProtected() ? WP : 0) | DPOFUA;
        if (ten) {
            Bytes.put16(out, 0, total - 2);
            out[3] = (byte) dsp;
            out[4] = (byte) (llbaa && !dbd ? 0x01 : 0x00); // LONGLBA
            Bytes.put16(out, 6, descriptor);
        } else {
            out[0] = (byte) (total - 1);
            out[2] = (byte) dsp;
            out[3] = (byte) descriptor;
        }
        if (descriptor > 0 && pc != 1) { // no block descriptor field is changeable
            if (llbaa) { // long LBA block descriptor (SBC-4 6.5.2.3)
                Bytes.put64(out, header, d.blocks());
                Bytes.put32(out, header + 12, d.blockSize);
            } else { // short LBA block descriptor (SBC-4 6.5.2.2): the count saturates at FFFFFFFFh
                Bytes.put32(out, header, Math.min(d.blocks(), 0xFFFF_FFFFL));
                Bytes.put24(out, header + 5, d.blockSize);
            }
        }
        int pos = header + descriptor;
        for (ModePage p : pages) {
            byte[] values = values(d, p, pc);
            System.arraycopy(values, 0, out, pos, p.length);
            if (p.savable && d.mode.savingSupported()) {
                out[pos] |= (byte) 0x80; // PS: the page can be saved
            }
            pos += p.length;
        }
        return ScsiResult.good(Disk.sendDataIn(c, out, total, allocation));
    }

    private static byte[] values(Disk d, ModePage p, int pc) {
        switch (pc) {
            case 0:
                return d.mode.current(p);
            case 1:
                return p.changeable();
            case 2:
                return p.defaults();
            default:
                try {
                    return d.mode.saved(p);
                } catch (IOException e) {
                    throw CheckCondition.of(SenseKey.HARDWARE_ERROR, AdditionalSense.INTERNAL_TARGET_FAILURE);
                }
        }
    }

    static ScsiResult modeSelect(Disk d, DiskCommand entry, ScsiCommand c) {
        byte[] cdb = c.cdb();
        boolean ten = entry == DiskCommand.MODE_SELECT_10;
        boolean pf = Bytes.bit(cdb, 1, 4);
        boolean sp = Bytes.bit(cdb, 1, 0);
        int length = ten ? Bytes.u16(cdb, 7) : Bytes.u8(cdb, 4);
        if (sp && !d.mode.savingSupported()) {
            throw CheckCondition.invalidField(1, 0);
        }
        if (length == 0) { // SPC-4 6.11: no parameter list, nothing changes
            return ScsiResult.good(0);
        }
        if (!pf) { // only the SPC page format is implemented
            throw CheckCondition.invalidField(1, 4);
        }
        byte[] p = Disk.receiveParameterList(c, length);
        Map<ModePage, byte[]> updates = parse(d, p, ten);
        boolean wasCaching = d.mode.writeCacheEnabled();
        Map<ModePage, byte[]> installed = d.mode.select(updates);
        // Turning the write cache off (WCE 1 -> 0, SBC-4 6.5.5) empties it before GOOD: from then on no acknowledged
        // write is volatile, neither the write-through ones that follow nor the cached ones before.
        boolean emptyCache = wasCaching && !d.mode.writeCacheEnabled();
        ScsiResult good = ScsiResult.good(length);
        if (!sp) {
            return emptyCache ? d.whenDurable(good) : good;
        }
        // Saving forces files (SavedModePages: durable before GOOD): never on the processor that runs the command.
        CompletableFuture<ScsiResult> saved = CompletableFuture.supplyAsync(() -> {
            try {
                d.mode.save(installed);
                return good;
            } catch (IOException e) {
                return ScsiResult.checkCondition(SenseData.of(SenseKey.HARDWARE_ERROR,
                        AdditionalSense.INTERNAL_TARGET_FAILURE));
            }
        }, SAVES);
        throw new StatusLater(!emptyCache ? saved : saved.thenCompose(r -> r.isGood()
                ? d.store.flushAsync().handle((ok, failure) -> failure == null ? r
                        : ScsiResult.checkCondition(SenseData.of(SenseKey.MEDIUM_ERROR, AdditionalSense.WRITE_ERROR)))
                : CompletableFuture.completedFuture(r)));
    }

    /**
     * Validates a MODE SELECT parameter list: header, block descriptors that must describe this medium, and whole
     * pages whose unchangeable bits must equal the current values (SPC-4 6.11: INVALID FIELD IN PARAMETER LIST with
     * the field pointer otherwise).
     */
    private static Map<ModePage, byte[]> parse(Disk d, byte[] p, boolean ten) {
        int header = ten ? 8 : 4;
        if (p.length < header) {
            throw CheckCondition.parameterListLengthError();
        }
        // The MODE DATA LENGTH is reserved and the device-specific parameter (WP, DPOFUA) ignored for MODE SELECT.
        int mediumType = ten ? 2 : 1;
        if (p[mediumType] != 0) {
            throw CheckCondition.invalidParameter(mediumType, -1);
        }
        int bdl = ten ? Bytes.u16(p, 6) : Bytes.u8(p, 3);
        boolean longLba = ten && Bytes.bit(p, 4, 0);
        int size = longLba ? 16 : 8;
        if (bdl % size != 0) {
            throw CheckCondition.invalidParameter(ten ? 6 : 3, -1);
        }
        if (header + bdl > p.length) {
            throw CheckCondition.parameterListLengthError();
        }
        for (int bd = header; bd < header + bdl; bd += size) {
            long count = longLba ? Bytes.u64(p, bd) : Bytes.u32(p, bd);
            long expected = longLba ? d.blocks() : Math.min(d.blocks(), 0xFFFF_FFFFL);
            if (count != 0 && count != expected) { // changing the capacity is not supported
                throw CheckCondition.invalidParameter(bd, -1);
            }
            int lengthAt = longLba ? bd + 12 : bd + 5;
            long blockLength = longLba ? Bytes.u32(p, lengthAt) : Bytes.u24(p, lengthAt);
            if (blockLength != d.blockSize) {
                throw CheckCondition.invalidParameter(lengthAt, -1);
            }
        }
        Map<ModePage, byte[]> updates = new EnumMap<>(ModePage.class);
        int pos = header + bdl;
        while (pos < p.length) {
            if (pos + 2 > p.length) {
                throw CheckCondition.parameterListLengthError();
            }
            int b0 = Bytes.u8(p, pos);
            if ((b0 & 0x80) != 0) { // PS is reserved in MODE SELECT
                throw CheckCondition.invalidParameter(pos, 7);
            }
            if ((b0 & 0x40) != 0) { // SPF: no subpages here
                throw CheckCondition.invalidParameter(pos, 6);
            }
            ModePage page = ModePage.of(b0 & 0x3F);
            if (page == null) {
                throw CheckCondition.invalidParameter(pos, 5);
            }
            if (Bytes.u8(p, pos + 1) != page.length - 2) {
                throw CheckCondition.invalidParameter(pos + 1, -1);
            }
            if (pos + page.length > p.length) {
                throw CheckCondition.parameterListLengthError();
            }
            byte[] bytes = java.util.Arrays.copyOfRange(p, pos, pos + page.length);
            byte[] current = d.mode.current(page);
            byte[] changeable = page.changeable();
            for (int i = 2; i < page.length; i++) {
                int diff = (bytes[i] ^ current[i]) & ~changeable[i] & 0xFF;
                if (diff != 0) {
                    throw CheckCondition.invalidParameter(pos + i, Bytes.highestBit(diff));
                }
            }
            updates.put(page, bytes);
            pos += page.length;
        }
        return updates;
    }
}
