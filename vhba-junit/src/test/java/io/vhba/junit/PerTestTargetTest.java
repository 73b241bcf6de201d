package io.vhba.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.emulator.it.Peers;
import io.vhba.emulator.it.ProcessRun;
import io.vhba.emulator.it.WireInitiator;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An instance-field VhbaExtension: a target of its own for every test, stopped when the test ends. */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PerTestTargetTest {
    /** The previous test's target, to show it stopped. */
    private static int previousPort;

    @RegisterExtension
    VhbaExtension vhba = VhbaExtension.builder().lun(0, "16M").miniport("halfduplex").build();

    private VhbaHandle fromBeforeEach;

    @BeforeEach
    void aBeforeEachMethodSeesThisTestsTarget(VhbaHandle target) {
        fromBeforeEach = target;
    }

    @Test
    @Order(1)
    void theFirstTestGetsATarget(VhbaHandle target) throws IOException {
        assertThat(target).isSameAs(fromBeforeEach).isSameAs(vhba.handle());
        new Socket("127.0.0.1", target.port()).close();
        // A fault this test leaves behind dies with its target.
        target.fault("medium-error,lun=0,lba=0-7");
        previousPort = target.port();
    }

    @Test
    @Order(2)
    void theNextTestGetsAnotherAndTheFirstIsGone(VhbaHandle target) throws Exception {
        assertThat(previousPort).as("test 1 ran first").isPositive();
        assertThat(target.port()).isNotEqualTo(previousPort);
        assertThatThrownBy(() -> new Socket("127.0.0.1", previousPort).close()).isInstanceOf(ConnectException.class);
        assertThat(target.vhba().faults().active()).isEmpty();
        try (WireInitiator w = Wire.loggedIn(target)) {
            assertThat(w.command(WireInitiator.read10(0, 8), null, 4096).status()).isZero();
        }
        assertThat(target.vhba().engine().adapters()).singleElement()
                .satisfies(a -> assertThat(a.name()).isEqualTo("halfduplex0"));
    }

    @Test
    @Order(3)
    void aRealInitiatorReadsTheCapacity(@VhbaUrl String url) {
        Peers.require("iscsi-readcapacity16", "apt-get install libiscsi-bin");
        ProcessRun r = ProcessRun.run(30, "iscsi-readcapacity16", url);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("Total size:" + (16L << 20), "LOGICAL BLOCK LENGTH IN BYTES:512");
    }
}
