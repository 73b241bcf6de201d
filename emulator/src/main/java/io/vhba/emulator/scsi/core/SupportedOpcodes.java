package io.vhba.emulator.scsi.core;

import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.platform.HostMemory;
import io.vhba.emulator.scsi.core.reservation.ReservationCommand;
import io.vhba.miniport.scsi.ScsiOpcode;
import io.vhba.miniport.scsi.SenseData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * REPORT SUPPORTED OPERATION CODES (SPC-4 6.35) for a LUN whose commands are served partly by the
 * device (its own command table) and partly by the core (the reservation commands): the device
 * answers for its commands, the core answers the one-command forms for its own operation codes
 * and merges its descriptors into the device's all-commands list, in operation code then service
 * action order. The device therefore never needs to know what the core serves.
 */
final class SupportedOpcodes {
    private static final int SERVICE_ACTION = 0x0C;
    /** How much of the all-commands list to ask the device for: room for its table and the core's. */
    static final int ALL_COMMANDS_ROOM = 8192;
    private static final int TIMEOUTS_DESCRIPTOR = 12;
    /** The core's commands complete at once: nominal 1 s, recommended 10 s (SPC-4 6.35.5). */
    private static final int NOMINAL_TIMEOUT = 1;
    private static final int RECOMMENDED_TIMEOUT = 10;
    private static final byte[] USAGE = {(byte) 0xA3, 0x1F, (byte) 0x87, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x00, 0x00};

    /**
     * The MAINTENANCE IN service actions the core answers (REPORT TARGET PORT GROUPS 0Ah,
     * REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS 0Dh), with their CDB usage data; the device
     * answers the others (REPORT SUPPORTED OPERATION CODES 0Ch itself).
     */
    private static final java.util.Map<Integer, byte[]> CORE_MAINTENANCE_IN = java.util.Map.of(
            ReportTargetPortGroups.SERVICE_ACTION, new byte[] {(byte) 0xA3, (byte) 0xEA, 0, 0, 0, 0,
                    (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0},
            ReportSupportedTaskManagementFunctions.SERVICE_ACTION, new byte[] {(byte) 0xA3, 0x0D, (byte) 0x80, 0, 0, 0,
                    (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0});
    private static final int MAINTENANCE_IN = 0xA3;

    private SupportedOpcodes() {}

    /** A one-command form asking about a MAINTENANCE IN service action the core serves (options 010b/011b). */
    private static byte[] coreMaintenanceIn(byte[] cdb) {
        int options = cdb[2] & 0x07;
        if ((cdb[3] & 0xFF) != MAINTENANCE_IN || (options != 2 && options != 3) || cdb[4] != 0) {
            return null;
        }
        return CORE_MAINTENANCE_IN.get(cdb[5] & 0xFF);
    }

    private static boolean isReport(byte[] cdb) {
        return cdb.length >= 12 && (cdb[0] & 0xFF) == ScsiOpcode.MAINTENANCE_IN.code() && (cdb[1] & 0x1F) == SERVICE_ACTION;
    }

    /** The all-commands form (REPORTING OPTIONS 000b). */
    static boolean isAllCommands(byte[] cdb) {
        return isReport(cdb) && (cdb[2] & 0x07) == 0;
    }

    /** A one-command form (REPORTING OPTIONS 001b..011b) asking about an operation code the core serves. */
    static boolean isOneCoreCommand(byte[] cdb) {
        int options = cdb.length >= 12 ? cdb[2] & 0x07 : 0;
        return isReport(cdb) && options >= 1 && options <= 3
                && (ReservationCommand.ownsOpcode(cdb[3]) || coreMaintenanceIn(cdb) != null);
    }

    static byte[] withAllocationLength(byte[] cdb, int length) {
        byte[] c = cdb.clone();
        c[6] = (byte) (length >>> 24);
        c[7] = (byte) (length >>> 16);
        c[8] = (byte) (length >>> 8);
        c[9] = (byte) length;
        return c;
    }

    /** The one-command parameter data (SPC-4 6.35.4) for a core operation code. */
    static CommandOutcome answerOne(HostMemory memory, byte[] cdb) {
        for (int i = 1; i < USAGE.length; i++) {
            int bad = cdb[i] & ~USAGE[i] & 0xFF;
            if (bad != 0) {
                return CommandOutcome.checkCondition(SenseData.invalidFieldInCdb(i, 31 - Integer.numberOfLeadingZeros(bad)));
            }
        }
        boolean rctd = (cdb[2] & 0x80) != 0;
        byte[] maintenance = coreMaintenanceIn(cdb);
        if (maintenance != null) {
            return supported(memory, cdb, maintenance, rctd);
        }
        int options = cdb[2] & 0x07;
        int opcode = cdb[3] & 0xFF;
        int serviceAction = ((cdb[4] & 0xFF) << 8) | (cdb[5] & 0xFF);
        boolean hasActions = ReservationCommand.hasServiceActions(opcode);
        if ((options == 1 && hasActions) || (options == 2 && !hasActions)) {
            return CommandOutcome.checkCondition(SenseData.invalidFieldInCdb(2, 2)); // as the device answers it
        }
        ReservationCommand c = serviceAction > ReservationCommand.SERVICE_ACTION_MASK && hasActions ? null
                : ReservationCommand.find(opcode, hasActions ? serviceAction : -1);
        if (c == null) {
            byte[] data = new byte[4];
            data[1] = 0b001; // SUPPORT: not supported
            return cut(memory, cdb, data);
        }
        return supported(memory, cdb, c.reportedUsage(), rctd);
    }

    /** One-command parameter data for a supported command with {@code usage} (SPC-4 6.35.4). */
    private static CommandOutcome supported(HostMemory memory, byte[] cdb, byte[] usage, boolean rctd) {
        byte[] data = new byte[4 + usage.length + (rctd ? TIMEOUTS_DESCRIPTOR : 0)];
        data[1] = (byte) ((rctd ? 0x80 : 0) | 0b011); // CTDP, SUPPORT: supported as the standard says
        data[3] = (byte) usage.length;
        System.arraycopy(usage, 0, data, 4, usage.length);
        if (rctd) {
            timeouts(data, 4 + usage.length);
        }
        return cut(memory, cdb, data);
    }

    private static CommandOutcome cut(HostMemory memory, byte[] cdb, byte[] data) {
        long alloc = TransferLength.field(cdb, 6, 4);
        int n = (int) Math.min(alloc, data.length);
        HostBuffer b = memory.allocate(Math.max(1, n));
        b.put(0, data, 0, n);
        return CommandOutcome.good(b, n);
    }

    /**
     * Merges the core's command descriptors into the device's all-commands list in {@code buf};
     * returns the list's new total length (the device's when the list does not parse or fit).
     */
    static int mergeAllCommands(HostBuffer buf, int length, byte[] cdb) {
        if (length < 4) {
            return length;
        }
        long listLength = Integer.toUnsignedLong(Integer.reverseBytes(buf.getInt(0)));
        if (4 + listLength > length) {
            return length; // the device's list was cut short
        }
        boolean rctd = (cdb[2] & 0x80) != 0;
        List<byte[]> descriptors = new ArrayList<>();
        int p = 4;
        while (p + 8 <= 4 + listLength) {
            int size = 8 + ((buf.getByte(p + 5) & 0x02) != 0 ? TIMEOUTS_DESCRIPTOR : 0);
            byte[] d = new byte[size];
            buf.get(p, d, 0, Math.min(size, (int) (4 + listLength - p)));
            descriptors.add(d);
            p += size;
        }
        for (ReservationCommand c : ReservationCommand.values()) {
            byte[] d = new byte[8 + (rctd ? TIMEOUTS_DESCRIPTOR : 0)];
            d[0] = (byte) c.opcode().code();
            if (c.serviceAction() >= 0) {
                d[3] = (byte) c.serviceAction();
            }
            d[5] = (byte) ((rctd ? 0x02 : 0) | (c.serviceAction() >= 0 ? 0x01 : 0)); // CTDP, SERVACTV
            d[7] = (byte) c.cdbLength();
            if (rctd) {
                timeouts(d, 8);
            }
            descriptors.add(d);
        }
        for (java.util.Map.Entry<Integer, byte[]> e : CORE_MAINTENANCE_IN.entrySet()) {
            byte[] d = new byte[8 + (rctd ? TIMEOUTS_DESCRIPTOR : 0)];
            d[0] = (byte) MAINTENANCE_IN;
            d[3] = (byte) (int) e.getKey();
            d[5] = (byte) ((rctd ? 0x02 : 0) | 0x01); // CTDP, SERVACTV
            d[7] = (byte) e.getValue().length;
            if (rctd) {
                timeouts(d, 8);
            }
            descriptors.add(d);
        }
        descriptors.sort(Comparator.comparingInt((byte[] d) -> d[0] & 0xFF)
                .thenComparingInt(d -> ((d[2] & 0xFF) << 8) | (d[3] & 0xFF)));
        int total = 4 + descriptors.stream().mapToInt(d -> d.length).sum();
        if (total > buf.length()) {
            return length;
        }
        buf.putInt(0, Integer.reverseBytes(total - 4));
        int o = 4;
        for (byte[] d : descriptors) {
            buf.put(o, d, 0, d.length);
            o += d.length;
        }
        return total;
    }

    /** Command timeouts descriptor (SPC-4 6.35.5). */
    private static void timeouts(byte[] b, int p) {
        b[p + 1] = TIMEOUTS_DESCRIPTOR - 2;
        b[p + 7] = NOMINAL_TIMEOUT;
        b[p + 11] = RECOMMENDED_TIMEOUT;
    }
}
