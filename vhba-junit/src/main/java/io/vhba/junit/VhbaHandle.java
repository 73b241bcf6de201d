package io.vhba.junit;

import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.Sizes;
import io.vhba.emulator.runtime.Vhba;
import io.vhba.emulator.verifier.BugCheck;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The running target of a {@link VhbaExtension}, as a test parameter: where initiators connect, faults
 * and resize while the test runs, and the verifier's bug checks. {@link #vhba()} is the whole emulator
 * for what this class does not cover.
 */
public final class VhbaHandle {
    private final Vhba vhba;
    private final String iqn;
    private final List<Integer> luns;
    /** Faults installed during the current test, removed when it ends; null outside a test. */
    private List<InjectedFault> testFaults;

    VhbaHandle(Vhba vhba) {
        this.vhba = vhba;
        this.iqn = vhba.config().targets().get(0).iqn();
        this.luns = vhba.config().targets().get(0).luns().stream().map(LunConfig::lun).sorted().toList();
    }

    /** The emulator itself: engine, verifier, kernel, sessions, meters. */
    public Vhba vhba() {
        return vhba;
    }

    /** The target's name. */
    public String iqn() {
        return iqn;
    }

    /** The LUNs of the target, ascending. */
    public List<Integer> luns() {
        return luns;
    }

    /** The TCP port the OS picked for the portal on 127.0.0.1. */
    public int port() {
        return vhba.portals().get(0).getPort();
    }

    /** {@code 127.0.0.1:PORT}, as {@code iscsiadm -p} takes it. */
    public String portal() {
        return "127.0.0.1:" + port();
    }

    /** {@code iscsi://127.0.0.1:PORT}, as {@code iscsi-ls} takes it. */
    public String portalUrl() {
        return "iscsi://" + portal();
    }

    /** {@code iscsi://127.0.0.1:PORT/IQN/LUN}, libiscsi's URL of one LUN. */
    public String url(int lun) {
        if (!luns.contains(lun)) {
            throw new IllegalArgumentException("the target has no LUN " + lun + "; its LUNs: " + luns);
        }
        return portalUrl() + "/" + iqn + "/" + lun;
    }

    /** {@link #url(int)} as a URI. */
    public URI uri(int lun) {
        return URI.create(url(lun));
    }

    /**
     * Installs a fault, in the grammar of {@code serve --fault} (e.g. {@code medium-error,lun=0,lba=2048-2055}).
     * One installed during a test is removed when the test ends; one installed in {@code @BeforeAll} stays
     * until the target stops.
     *
     * @throws io.vhba.emulator.fault.FaultSpecException a spec the grammar or this target refuses, naming the problem
     */
    public InjectedFault fault(String spec) {
        InjectedFault f = new InjectedFault(vhba.faults(), vhba.faults().inject(spec));
        synchronized (this) {
            if (testFaults != null) {
                testFaults.add(f);
            }
        }
        return f;
    }

    /** Removes every installed fault, including those the extension was built with. */
    public void clearFaults() {
        vhba.faults().clear();
    }

    /**
     * Changes a LUN's capacity while it serves; initiators get CAPACITY DATA HAS CHANGED (SBC-4 4.6). The
     * change outlives the test when the target is per class.
     *
     * @param size e.g. {@code 128M}, a multiple of the LUN's block length
     */
    public void resize(int lun, String size) {
        url(lun); // the same message for a LUN the target lacks
        vhba.resize(iqn, lun, Sizes.parse("size", size));
    }

    /** Every bug check the Storport verifier raised since the target started, oldest first. */
    public List<BugCheck> bugChecks() {
        return vhba.engine().verifier().bugChecks();
    }

    synchronized void beginTest() {
        testFaults = new ArrayList<>();
    }

    synchronized void endTest() {
        if (testFaults != null) {
            testFaults.forEach(InjectedFault::remove);
            testFaults = null;
        }
    }

    @Override
    public String toString() {
        return "vHBA " + iqn + " on " + portal() + " LUNs " + luns;
    }
}
