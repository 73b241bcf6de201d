package io.vhba.emulator.iscsi.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vhba.emulator.iscsi.login.LoginStatus;
import io.vhba.emulator.iscsi.login.SessionType;
import io.vhba.emulator.scsi.core.ScsiTarget;
import io.vhba.emulator.scsi.core.TargetLun;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.ScsiStatus;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import org.junit.jupiter.api.Test;

/** The iSCSI layer's meters, on a plain registry: what each event adds, and what switching data-path metrics off leaves. */
class IscsiMetricsTest {
    private static final String IQN = "iqn.2026-11.test:m";
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static ScsiTarget targetWithLun0() {
        ScsiTarget t = new ScsiTarget(IQN, null, 1, 1);
        t.map(new TargetLun(0, null, 512));
        return t;
    }

    private double counter(String name, String... tags) {
        var c = registry.find(name).tags(tags).functionCounter();
        return c != null ? c.count() : registry.get(name).tags(tags).counter().count();
    }

    @Test
    void aCommandAddsItsLatencyBytesStatusAndSenseKey() {
        IscsiMetrics m = new IscsiMetrics(registry, true);
        CommandMeters lun0 = m.commands(targetWithLun0(), 0);
        long start = System.nanoTime();
        lun0.responded(true, false, start, 4096, 0, ScsiStatus.GOOD, null);
        lun0.responded(false, true, start, 0, 512, ScsiStatus.GOOD, null);
        lun0.responded(true, false, start, 0, 0, ScsiStatus.CHECK_CONDITION,
                SenseData.of(SenseKey.MEDIUM_ERROR, AdditionalSense.UNRECOVERED_READ_ERROR).toBytes());
        String[] lun = {"target", IQN, "lun", "0"};
        assertThat(registry.get("vhba.iscsi.command.duration").tags(lun).tag("direction", "read").timer().count()).isEqualTo(2);
        assertThat(counter("vhba.iscsi.commands", "target", IQN, "lun", "0", "direction", "write")).isEqualTo(1);
        assertThat(counter("vhba.iscsi.data", "target", IQN, "lun", "0", "direction", "read")).isEqualTo(4096);
        assertThat(counter("vhba.iscsi.data", "target", IQN, "lun", "0", "direction", "write")).isEqualTo(512);
        assertThat(counter("vhba.iscsi.command.status", "target", IQN, "lun", "0", "status", "good")).isEqualTo(2);
        assertThat(counter("vhba.iscsi.check.conditions", "target", IQN, "lun", "0", "sense_key", "medium_error")).isEqualTo(1);
        assertThat(m.commands(targetWithLun0(), 0)).as("resolved once per target and LUN").isSameAs(lun0);
    }

    @Test
    void commandsToALunTheTargetDoesNotMapShareOneUnmappedSeries() {
        IscsiMetrics m = new IscsiMetrics(registry, true);
        ScsiTarget t = targetWithLun0();
        assertThat(m.commands(t, 7)).isSameAs(m.commands(t, 200)).isSameAs(m.commands(t, -1));
        assertThat(IscsiMetrics.cacheable(t, 7)).isFalse();
        assertThat(IscsiMetrics.cacheable(t, 0)).isTrue();
        m.commands(t, 7).responded(false, false, 1, 0, 0, ScsiStatus.CHECK_CONDITION, null);
        assertThat(counter("vhba.iscsi.commands", "lun", "unmapped", "direction", "none")).isEqualTo(1);
    }

    @Test
    void senseKeysOfFixedAndDescriptorFormat() {
        assertThat(CommandMeters.senseKey(new byte[] {0x70, 0, 0x05})).isEqualTo(5);
        assertThat(CommandMeters.senseKey(new byte[] {(byte) 0xF1, 0, 0x23})).as("deferred, VALID bit").isEqualTo(3);
        assertThat(CommandMeters.senseKey(new byte[] {0x72, 0x06, 0x29})).isEqualTo(6);
        assertThat(CommandMeters.senseKey(new byte[] {0x7F, 0, 0})).isEqualTo(-1);
        assertThat(CommandMeters.senseKey(null)).isEqualTo(-1);
    }

    @Test
    void sessionGaugesFollowSessionsAndAnInitiatorsSeriesEndsWithItsLastSession() {
        IscsiMetrics m = new IscsiMetrics(registry, true);
        ScsiTarget t = targetWithLun0();
        m.targetAdded(t);
        assertThat(registry.get("vhba.iscsi.sessions").tags("target", IQN, "type", "normal").gauge().value()).isZero();
        Session a = new Session(1, 1, "iqn.test:a", SessionType.NORMAL, t, 1, 8);
        Session b = new Session(2, 2, "iqn.test:a", SessionType.NORMAL, t, 1, 8);
        Session d = new Session(3, 3, "iqn.test:d", SessionType.DISCOVERY, null, 1, 8);
        m.sessionOpened(a);
        m.sessionOpened(b);
        m.sessionOpened(d);
        assertThat(registry.get("vhba.iscsi.sessions").tags("target", IQN, "type", "normal").gauge().value()).isEqualTo(2);
        assertThat(registry.get("vhba.iscsi.sessions").tags("target", "", "type", "discovery").gauge().value()).isEqualTo(1);
        assertThat(registry.get("vhba.iscsi.initiator.sessions").tags("initiator", "iqn.test:a").gauge().value()).isEqualTo(2);
        m.sessionClosed(a);
        assertThat(registry.get("vhba.iscsi.initiator.sessions").tags("initiator", "iqn.test:a").gauge().value()).isEqualTo(1);
        m.sessionClosed(b);
        assertThat(registry.find("vhba.iscsi.initiator.sessions").tags("initiator", "iqn.test:a").gauge()).isNull();
        assertThat(registry.get("vhba.iscsi.sessions").tags("target", IQN, "type", "normal").gauge().value()).isZero();
    }

    @Test
    void loginsAndTaskManagementByLabel() {
        IscsiMetrics m = new IscsiMetrics(registry, true);
        assertThat(registry.get("vhba.iscsi.logins").tags("outcome", "failed", "reason", "authentication_failure").counter().count())
                .as("present from the start").isZero();
        m.login(LoginStatus.SUCCESS);
        m.login(LoginStatus.AUTHENTICATION_FAILURE);
        m.taskManagement(TaskManagement.ABORT_TASK, TaskManagement.TASK_DOES_NOT_EXIST);
        m.taskManagement(TaskManagement.LOGICAL_UNIT_RESET, TaskManagement.FUNCTION_COMPLETE);
        m.taskManagement(42, TaskManagement.FUNCTION_REJECTED);
        assertThat(registry.get("vhba.iscsi.logins").tags("outcome", "ok", "reason", "success").counter().count()).isEqualTo(1);
        assertThat(registry.get("vhba.iscsi.logins").tags("outcome", "failed", "reason", "authentication_failure").counter().count())
                .isEqualTo(1);
        assertThat(counter("vhba.iscsi.task.management", "function", "abort_task", "response", "task_does_not_exist")).isEqualTo(1);
        assertThat(counter("vhba.iscsi.task.management", "function", "logical_unit_reset", "response", "function_complete"))
                .isEqualTo(1);
        assertThat(counter("vhba.iscsi.task.management", "function", "42", "response", "function_rejected")).isEqualTo(1);
    }

    @Test
    void withDataPathMetricsOffCommandsRecordNothing() {
        IscsiMetrics m = new IscsiMetrics(registry, false);
        CommandMeters c = m.commands(targetWithLun0(), 0);
        assertThat(c).isSameAs(CommandMeters.NONE);
        c.responded(true, false, 0, 4096, 0, ScsiStatus.GOOD, null);
        assertThat(registry.getMeters()).noneMatch(meter -> meter.getId().getName().startsWith("vhba.iscsi.command")
                || meter.getId().getName().equals("vhba.iscsi.data"));
        m.login(LoginStatus.SUCCESS);
        assertThat(registry.get("vhba.iscsi.logins").tags("outcome", "ok").counter().count()).as("events still count").isEqualTo(1);
    }
}
