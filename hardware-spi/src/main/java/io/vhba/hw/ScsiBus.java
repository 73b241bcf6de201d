package io.vhba.hw;

import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.ScsiOpcode;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The SCSI side of a controller: routes a command to the logical unit it addresses and
 * answers what a target answers for LUNs that are not there (SPC-4 3.1.74, "incorrect
 * logical unit"): REPORT LUNS for the target, INQUIRY with peripheral qualifier 3, and
 * LOGICAL UNIT NOT SUPPORTED for the rest.
 *
 * <p>Units can be plugged in and pulled out while commands run ({@link #attach}, {@link #detach}), as disks
 * behind a real controller are: the map is copied on each change and read without a lock, so the
 * command path pays one volatile read. A command routed before a detach finishes on the unit it found.
 */
public final class ScsiBus {
    private volatile TreeMap<Long, ScsiLogicalUnit> units = new TreeMap<>();

    public ScsiBus(List<AttachedUnit> attached) {
        TreeMap<Long, ScsiLogicalUnit> m = new TreeMap<>();
        for (AttachedUnit u : attached) {
            if (m.put(key(u.targetId(), u.lun()), u.unit()) != null) {
                throw new IllegalArgumentException("two units at " + u.targetId() + ":" + u.lun());
            }
        }
        units = m;
    }

    /**
     * Plugs a unit in at its address (hot plug). The controller's driver learns of it at its next bus scan.
     *
     * @throws IllegalArgumentException when a unit is already at that address
     */
    public synchronized void attach(AttachedUnit unit) {
        long k = key(unit.targetId(), unit.lun());
        if (units.containsKey(k)) {
            throw new IllegalArgumentException("a unit is already attached at " + unit.targetId() + ":" + unit.lun());
        }
        TreeMap<Long, ScsiLogicalUnit> m = new TreeMap<>(units);
        m.put(k, unit.unit());
        units = m;
    }

    /**
     * Pulls the unit at an address out (hot removal): from now on commands to it get LOGICAL UNIT NOT SUPPORTED
     * and REPORT LUNS no longer lists it. Returns the unit, or null when none was there.
     */
    public synchronized ScsiLogicalUnit detach(int targetId, int lun) {
        long k = key(targetId, lun);
        if (!units.containsKey(k)) {
            return null;
        }
        TreeMap<Long, ScsiLogicalUnit> m = new TreeMap<>(units);
        ScsiLogicalUnit u = m.remove(k);
        units = m;
        return u;
    }

    /** Every unit attached now, by address. */
    public List<AttachedUnit> attached() {
        List<AttachedUnit> l = new ArrayList<>();
        for (Map.Entry<Long, ScsiLogicalUnit> e : units.entrySet()) {
            l.add(new AttachedUnit((int) (e.getKey() >>> 32), (int) (long) e.getKey(), e.getValue()));
        }
        return l;
    }

    private static long key(int targetId, int lun) {
        return ((long) targetId << 32) | (lun & 0xFFFFFFFFL);
    }

    /** The LUNs present on {@code targetId}, ascending. */
    public List<Integer> luns(int targetId) {
        List<Integer> l = new ArrayList<>();
        units.subMap(key(targetId, 0), true, key(targetId, -1), true).keySet().forEach(k -> l.add((int) (long) k));
        return l;
    }

    public ScsiLogicalUnit unit(int targetId, int lun) {
        return units.get(key(targetId, lun));
    }

    /**
     * Starts a command on the unit it addresses (see {@link ScsiLogicalUnit#start}); what the bus answers
     * itself (REPORT LUNS, absent units) is answered before this returns.
     */
    public void start(int targetId, int lun, ScsiCommand command, Consumer<ScsiResult> done) {
        ScsiLogicalUnit u = command.opcode() == ScsiOpcode.REPORT_LUNS.code() ? null : units.get(key(targetId, lun));
        if (u != null) {
            u.start(command, done);
        } else {
            done.accept(execute(targetId, lun, command));
        }
    }

    public ScsiResult execute(int targetId, int lun, ScsiCommand command) {
        if (command.opcode() == ScsiOpcode.REPORT_LUNS.code()) {
            return reportLuns(targetId, command);
        }
        ScsiLogicalUnit u = units.get(key(targetId, lun));
        if (u != null) {
            return u.execute(command);
        }
        if (command.opcode() == ScsiOpcode.INQUIRY.code()) {
            return inquiryOfAbsentUnit(command);
        }
        return ScsiResult.checkCondition(SenseData.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.LOGICAL_UNIT_NOT_SUPPORTED));
    }

    /** REPORT LUNS (SPC-4 6.33): single-level LUN addressing, peripheral device method for LUN < 256, flat space above. */
    private ScsiResult reportLuns(int targetId, ScsiCommand c) {
        byte[] cdb = c.cdb();
        long alloc = ((cdb[6] & 0xFFL) << 24) | ((cdb[7] & 0xFFL) << 16) | ((cdb[8] & 0xFFL) << 8) | (cdb[9] & 0xFFL);
        if (alloc < 16) {
            // SPC-4 6.33: an allocation length below 16 is an error
            return ScsiResult.checkCondition(SenseData.invalidFieldInCdb(6, -1));
        }
        List<Integer> luns = luns(targetId);
        ByteBuffer b = ByteBuffer.allocate(8 + 8 * luns.size());
        b.putInt(8 * luns.size()).putInt(0);
        for (int lun : luns) {
            b.putLong(encodeLun(lun));
        }
        b.flip();
        int n = (int) Math.min(Math.min(alloc, b.remaining()), c.data().length());
        b.limit(n);
        c.data().writeDataIn(0, b);
        return ScsiResult.good(n);
    }

    /** SAM-5 4.7: peripheral device addressing below 256, flat space addressing up to 16383. */
    public static long encodeLun(int lun) {
        if (lun < 256) {
            return ((long) lun) << 48;
        }
        return ((0x40L | ((lun >> 8) & 0x3F)) << 56) | (((long) lun & 0xFF) << 48);
    }

    private static ScsiResult inquiryOfAbsentUnit(ScsiCommand c) {
        byte[] cdb = c.cdb();
        if ((cdb[1] & 1) != 0) {
            return ScsiResult.checkCondition(SenseData.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.LOGICAL_UNIT_NOT_SUPPORTED));
        }
        int alloc = ((cdb[3] & 0xFF) << 8) | (cdb[4] & 0xFF);
        byte[] std = new byte[36];
        std[0] = 0x7F;          // peripheral qualifier 3, type 0x1F: no unit here (SPC-4 6.6.2)
        std[2] = 0x06;          // SPC-4
        std[3] = 0x02;          // response data format 2
        std[4] = 31;            // additional length
        int n = Math.min(Math.min(alloc, std.length), c.data().length());
        c.data().writeDataIn(0, ByteBuffer.wrap(std, 0, n));
        return ScsiResult.good(n);
    }
}
