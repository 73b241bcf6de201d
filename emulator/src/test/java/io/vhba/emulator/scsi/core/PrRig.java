package io.vhba.emulator.scsi.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.platform.HostMemory;
import io.vhba.emulator.scsi.core.reservation.PrStore;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;

/** A core with one test LUN and three I_T nexuses, driving reservation commands through {@link ScsiTargetCore#plan}. */
final class PrRig {
    static final HostMemory MEMORY = new HostMemory(64L << 20);
    final ScsiTargetCore core;
    final ScsiTarget target = new ScsiTarget("iqn.2026-11.test:t", "t", 1, 1);
    final TargetLun lun = new TargetLun(0, null, 512);
    final ItNexus a = ItNexus.iscsi("iqn.2026-11.test:a", 0x23D000000001L, target.name(), 1);
    final ItNexus b = ItNexus.iscsi("iqn.2026-11.test:b", 0x23D000000002L, target.name(), 1);
    final ItNexus c = ItNexus.iscsi("iqn.2026-11.test:c", 0x23D000000003L, target.name(), 1);

    PrRig() {
        this(PrStore.NONE);
    }

    PrRig(PrStore store) {
        core = new ScsiTargetCore(MEMORY, 30, store);
        target.setUnitAttentionOnLogin(false);
        target.map(lun);
        core.nexusJoined(target, a);
        core.nexusJoined(target, b);
        core.nexusJoined(target, c);
    }

    static byte[] bytes(int... b) {
        byte[] c = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            c[i] = (byte) b[i];
        }
        return c;
    }

    /** The plan's outcome: an immediate answer, or a locally executed PR OUT with {@code dataOut}. */
    CommandOutcome run(ItNexus n, byte[] cdb, byte[] dataOut) {
        CommandPlan p = core.plan(new CommandRequest(n, target, 0, cdb, dataOut == null, dataOut != null,
                dataOut == null ? 65536 : dataOut.length, 1));
        if (p instanceof CommandPlan.Immediate im) {
            return im.outcome();
        }
        PreparedCommand pc = ((CommandPlan.Execute) p).command();
        if (pc.buffer() != null) {
            pc.buffer().put(0, dataOut, 0, pc.dataOutLength());
        }
        AtomicReference<CommandOutcome> out = new AtomicReference<>();
        pc.submit(out::set);
        return out.get();
    }

    /** True when the command would go on to the device (no conflict, no unit attention). */
    boolean reachesDevice(ItNexus n, byte[] cdb) {
        CommandPlan p = core.plan(new CommandRequest(n, target, 0, cdb, false, false, 0, 1));
        if (p instanceof CommandPlan.Execute e && e.command().buffer() != null) {
            e.command().buffer().release();
        }
        return p instanceof CommandPlan.Execute;
    }

    static byte[] prOutCdb(int serviceAction, int type, int length) {
        return bytes(0x5F, serviceAction, type, 0, 0, length >>> 24, length >>> 16 & 0xFF, length >>> 8 & 0xFF, length & 0xFF, 0);
    }

    /** The basic PR OUT parameter list (SPC-4 6.16.3). */
    static byte[] params(long key, long saKey, int flags) {
        return ByteBuffer.allocate(24).putLong(key).putLong(saKey).putInt(0).put((byte) flags).array();
    }

    CommandOutcome prOut(ItNexus n, int serviceAction, int type, long key, long saKey, int flags) {
        return run(n, prOutCdb(serviceAction, type, 24), params(key, saKey, flags));
    }

    CommandOutcome register(ItNexus n, long key) {
        return prOut(n, 0x06, 0, 0, key, 0);
    }

    CommandOutcome prIn(ItNexus n, int serviceAction, int alloc) {
        return run(n, bytes(0x5E, serviceAction, 0, 0, 0, 0, 0, alloc >> 8, alloc & 0xFF, 0), null);
    }

    static byte[] data(CommandOutcome o) {
        byte[] b = new byte[o.dataInLength()];
        o.dataIn().get(0, b, 0, b.length);
        o.release();
        return b;
    }

    static void assertGood(CommandOutcome o) {
        assertThat(o.status().code()).as("status, sense %s", o.sense() == null ? "none" : java.util.HexFormat.of().formatHex(o.sense()))
                .isEqualTo(0x00);
    }

    static void assertConflict(CommandOutcome o) {
        assertThat(o.status().code()).isEqualTo(0x18);
        assertThat(o.sense()).isNull();
    }

    /** Fixed-format sense: CHECK CONDITION with these 18 bytes. */
    static void assertSense(CommandOutcome o, int... sense) {
        assertThat(o.status().code()).isEqualTo(0x02);
        assertThat(o.sense()).containsExactly(bytes(sense));
    }

    static final byte[] TUR = bytes(0, 0, 0, 0, 0, 0);
    static final byte[] READ10_0 = bytes(0x28, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    static final byte[] WRITE10_0 = bytes(0x2A, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
