package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.iscsi.pdu.LoginResponse;
import io.vhba.emulator.iscsi.pdu.TaskManagementRequest;
import io.vhba.emulator.iscsi.pdu.TaskManagementResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TARGET WARM RESET keeps every session and gives every nexus a reset unit attention; TARGET COLD RESET
 * also ends every connection to the target, of every initiator, not only the requester's (RFC 7143 §11.5.1).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TargetResetIT {
    private static final int TARGET_WARM_RESET = 6;
    private static final int TARGET_COLD_RESET = 7;

    @Test
    void warmResetKeepsTheOtherSessionAndGivesItAUnitAttention() throws Exception {
        try (TestTarget target = TestTarget.start("16M", 512);
             WireInitiator a = loggedIn(target, "iqn.2026-11.test:resetter");
             WireInitiator b = loggedIn(target, "iqn.2026-11.test:bystander")) {
            assertThat(reset(a, TARGET_WARM_RESET)).as("TMF response: function complete").isZero();
            WireInitiator.Answer tur = b.command(new byte[6], null, 0);
            assertThat(tur.status()).as("the bystander's session lives, with CHECK CONDITION").isEqualTo(2);
            assertThat(new int[] {tur.sense()[2] & 0x0F, tur.sense()[12] & 0xFF})
                    .as("UNIT ATTENTION, POWER ON, RESET, OR BUS DEVICE RESET OCCURRED").containsExactly(0x6, 0x29);
            assertThat(b.command(new byte[6], null, 0).status()).as("then ready").isZero();
        }
    }

    @Test
    void coldResetEndsEverySessionOfTheTarget() throws Exception {
        try (TestTarget target = TestTarget.start("16M", 512);
             WireInitiator a = loggedIn(target, "iqn.2026-11.test:resetter");
             WireInitiator b = loggedIn(target, "iqn.2026-11.test:bystander")) {
            assertThat(reset(a, TARGET_COLD_RESET)).as("TMF response: function complete").isZero();
            assertThat(a.awaitClose()).as("the requester's connection closes after the response").isTrue();
            assertThat(b.awaitClose()).as("the other initiator's connection closes too").isTrue();
            try (WireInitiator again = new WireInitiator(target.port())) {
                LoginResponse login = again.login("iqn.2026-11.test:bystander", TestTarget.IQN);
                assertThat(login.statusClass()).as("a new login is accepted").isZero();
                login.release();
                WireInitiator.Answer tur = again.command(new byte[6], null, 0);
                assertThat(new int[] {tur.status(), tur.sense()[2] & 0x0F, tur.sense()[12] & 0xFF})
                        .as("CHECK CONDITION, UNIT ATTENTION 29h").containsExactly(2, 0x6, 0x29);
                assertThat(again.command(new byte[6], null, 0).status()).isZero();
            }
        }
    }

    private static int reset(WireInitiator w, int function) throws Exception {
        int itt = w.nextItt();
        w.send(new TaskManagementRequest(true, function, 0, itt, 0xFFFFFFFF, w.cmdSn(), 0, 0, 0));
        Object pdu = w.receive();
        assertThat(pdu).isInstanceOf(TaskManagementResponse.class);
        TaskManagementResponse r = (TaskManagementResponse) pdu;
        assertThat(r.itt()).isEqualTo(itt);
        return r.response();
    }

    private static WireInitiator loggedIn(TestTarget target, String initiator) throws Exception {
        WireInitiator w = new WireInitiator(target.port());
        LoginResponse login = w.login(initiator, TestTarget.IQN);
        assertThat(login.statusClass()).isZero();
        login.release();
        assertThat(w.command(new byte[6], null, 0).status()).as("power-on unit attention").isEqualTo(2);
        return w;
    }
}
