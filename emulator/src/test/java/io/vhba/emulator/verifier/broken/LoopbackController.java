package io.vhba.emulator.verifier.broken;

import io.vhba.hw.Access;
import io.vhba.hw.DeviceContext;
import io.vhba.hw.DeviceModel;
import io.vhba.hw.RegisterFile;
import io.vhba.hw.Width;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The smallest controller a broken miniport needs: a tag written to DOORBELL comes back
 * through DONE (a read pops it; 0xFFFFFFFF when empty) with MSI-X message 0. The command
 * itself is answered by the miniport, so the tests exercise the port, not a device model.
 * Only the registers below are declared; any other offset of the 4 KiB BAR is unmapped.
 */
final class LoopbackController implements DeviceModel {
    static final String HW_ID = "PCI\\VEN_0000&DEV_B0C1";
    static final int DOORBELL = 0x00;
    static final int DONE = 0x04;
    static final int ENABLE = 0x08;
    static final int BAR_SIZE = 4096;

    private final RegisterFile regs;
    private final ConcurrentLinkedQueue<Integer> done = new ConcurrentLinkedQueue<>();
    private volatile DeviceContext ctx;

    LoopbackController() {
        regs = RegisterFile.builder("loopback-bar0", BAR_SIZE)
                .register("DOORBELL", DOORBELL, Width.DWORD, Access.WO, 0, null, (old, written, now) -> {
                    done.add((int) written);
                    ctx.interrupts().signal(0);
                })
                .register("DONE", DONE, Width.DWORD, Access.RO, 0, v -> {
                    Integer t = done.poll();
                    return t == null ? 0xFFFF_FFFFL : t;
                }, null)
                .register("ENABLE", ENABLE, Width.DWORD, Access.RW)
                .build();
    }

    @Override public String hardwareId() { return HW_ID; }
    @Override public List<RegisterFile> bars() { return List.of(regs); }
    @Override public int msixMessageCount() { return 1; }
    @Override public void attach(DeviceContext context) { this.ctx = context; }
    @Override public void detach() { }
    @Override public Map<String, Long> statistics() { return Map.of(); }
}
