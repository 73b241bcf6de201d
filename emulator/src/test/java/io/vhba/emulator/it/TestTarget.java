package io.vhba.emulator.it;

import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.platform.PciDevice;
import io.vhba.emulator.runtime.Vhba;
import io.vhba.emulator.storport.Adapter;
import java.util.List;

/** An in-process vHBA on 127.0.0.1 and a port the OS picks, for integration tests. */
public final class TestTarget implements AutoCloseable {
    public static final String IQN = "iqn.2026-11.io.vhba.test:disk0";
    private final Vhba vhba;

    private TestTarget(Vhba vhba) {
        this.vhba = vhba;
    }

    /** One target, one thin RAM disk at LUN 0 of {@code size} with {@code blockSize}-byte blocks, mailbox miniport. */
    public static TestTarget start(String size, int blockSize) {
        return start(new VhbaConfig(List.of("127.0.0.1:0"), 2, "512M", "mailbox", new ControllerConfig(null, null, null),
                30, true, null, 0, null,
                List.of(new TargetConfig(IQN, "vhba-test", null, List.of(new LunConfig(0, size, blockSize, false, true, false, null))))));
    }

    /** As {@link #start(String, int)}, choosing whether a new I_T nexus sees the power-on unit attention. */
    public static TestTarget start(String size, int blockSize, boolean unitAttentionOnLogin) {
        return start(new VhbaConfig(List.of("127.0.0.1:0"), 2, "512M", "mailbox", new ControllerConfig(null, null, null),
                30, true, null, 0, null,
                List.of(new TargetConfig(IQN, "vhba-test", null,
                        List.of(new LunConfig(0, size, blockSize, false, true, false, null)), unitAttentionOnLogin))));
    }

    public static TestTarget start(VhbaConfig config) {
        return new TestTarget(Vhba.start(config));
    }

    public Vhba vhba() {
        return vhba;
    }

    public int port() {
        return vhba.portals().get(0).getPort();
    }

    /** {@code iscsi://127.0.0.1:PORT} */
    public String portalUrl() {
        return "iscsi://127.0.0.1:" + port();
    }

    /** The URL of LUN 0 of the first target. */
    public String url() {
        return vhba.urls().get(0);
    }

    public Adapter adapter() {
        return vhba.engine().adapters().get(0);
    }

    public PciDevice device() {
        return vhba.devices().get(0);
    }

    /** Interrupts delivered to the adapter's ISRs so far (all messages). */
    public long interruptsDelivered() {
        return adapter().interruptsDelivered();
    }

    /** DPCs run on every processor so far. */
    public long dpcsRun() {
        return vhba.kernel().dpcsRun();
    }

    @Override
    public void close() {
        vhba.close();
    }
}
