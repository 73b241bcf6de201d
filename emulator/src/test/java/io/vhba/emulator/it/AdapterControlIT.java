package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vhba.emulator.storport.Adapter;
import io.vhba.miniport.ScsiAdapterControlType;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * HwStorAdapterControl as the port drives it with the mailbox miniport: the supported types
 * queried after FindAdapter, ScsiStopAdapter then ScsiRestartAdapter around a restart (the
 * controller really resets and is reprogrammed, and a real initiator's I/O works afterwards),
 * and ScsiStopAdapter when the target shuts down.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class AdapterControlIT {

    @Test
    void stopAndRestartReachTheMiniportAndIoWorksAfterwards() {
        Peers.require("iscsi-readcapacity16", "apt-get install libiscsi-bin");
        Logger control = (Logger) LoggerFactory.getLogger("io.vhba.emulator.storport.AdapterControl");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        control.addAppender(log);
        try {
            try (TestTarget target = TestTarget.start("16M", 512)) {
                Adapter a = target.adapter();
                assertThat(a.supportedControlTypes()).contains(ScsiAdapterControlType.SCSI_QUERY_SUPPORTED_CONTROL_TYPES,
                        ScsiAdapterControlType.SCSI_STOP_ADAPTER, ScsiAdapterControlType.SCSI_RESTART_ADAPTER);
                ProcessRun before = ProcessRun.run(30, "iscsi-readcapacity16", target.url());
                assertThat(before.exitCode()).as(before.toString()).isZero();
                long resets = target.device().model().statistics().get("resets");

                assertThat(a.restart()).isTrue();
                assertThat(target.device().model().statistics().get("resets"))
                        .as("ScsiStopAdapter reset the controller").isEqualTo(resets + 1);

                long completes = a.counters().requestCompletes();
                ProcessRun after = ProcessRun.run(30, "iscsi-readcapacity16", target.url());
                assertThat(after.exitCode()).as(after.toString()).isZero();
                assertThat(after.stdout()).contains("Total size:16777216");
                assertThat(a.counters().requestCompletes()).as("I/O after the restart went through the miniport")
                        .isGreaterThan(completes);
            }
            List<String> lines = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(lines).containsExactly(
                    "mailbox0: HwStorAdapterControl(SCSI_STOP_ADAPTER) succeeded",
                    "mailbox0: HwStorAdapterControl(SCSI_RESTART_ADAPTER) succeeded",
                    "mailbox0: HwStorAdapterControl(SCSI_STOP_ADAPTER) succeeded");
        } finally {
            control.detachAppender(log);
        }
    }
}
