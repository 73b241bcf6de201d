package io.vhba.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.it.Peers;
import io.vhba.emulator.it.ProcessRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A target built with CHAP: libiscsi logs in with the secret the test gave, and not without it (RFC 7143 §12.1.3). */
@Timeout(120)
class ChapTargetTest {
    private static final String USER = "junit-host";
    private static final String SECRET = "a-long-chap-secret-1";

    @RegisterExtension
    static VhbaExtension vhba = VhbaExtension.builder().lun(0, "16M").chap(USER, SECRET).build();

    @BeforeAll
    static void libiscsi() {
        Peers.require("iscsi-inq", "apt-get install libiscsi-bin");
    }

    /** libiscsi's URL with credentials: iscsi://USER%SECRET@HOST:PORT/IQN/LUN. */
    private static String withCredentials(VhbaHandle target, String secret) {
        return "iscsi://" + USER + "%" + secret + "@" + target.portal() + "/" + target.iqn() + "/0";
    }

    @Test
    void theInitiatorWithTheSecretLogsIn(VhbaHandle target) {
        ProcessRun r = ProcessRun.run(30, "iscsi-inq", withCredentials(target, SECRET));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("Vendor:VHBA");
    }

    @Test
    void anInitiatorWithoutItOrWithAnotherIsRefused(@VhbaUrl String url, VhbaHandle target) {
        ProcessRun none = ProcessRun.run(30, "iscsi-inq", url);
        assertThat(none.exitCode()).as(none.toString()).isNotZero();
        ProcessRun wrong = ProcessRun.run(30, "iscsi-inq", withCredentials(target, "another-secret-99"));
        assertThat(wrong.exitCode()).as(wrong.toString()).isNotZero();
        assertThat(none.stdout() + wrong.stdout()).doesNotContain("Vendor:VHBA");
    }
}
