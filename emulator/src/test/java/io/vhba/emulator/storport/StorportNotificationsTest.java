package io.vhba.emulator.storport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.miniport.NotificationType;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.StorPortFunctionCode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The event notifications, LogError/DebugPrint meters, and loud refusal of what is not emulated. */
class StorportNotificationsTest extends EngineFixture {

    private double notifications(NotificationType t) {
        return verifier.meters().counter("vhba.storport.notifications", "adapter", "test0", "type", t.name()).count();
    }

    private void notify(NotificationType t, Object... args) throws Exception {
        onProcessor(() -> ext().port.notification(t, ext(), args));
    }

    @Test
    void resetDetectedIsRecordedAndHoldsNewRequestsForTheBusResetHoldTime() throws Exception {
        TestMiniport m = new TestMiniport();
        m.busResetHoldTime = 300_000; // 0.3 s
        start(m, new TestController());
        notify(NotificationType.RESET_DETECTED);
        long t0 = System.nanoTime();
        CompletableFuture<Done> r = read(0, 0);
        await("the read to be held", () -> adapter.logicalUnit(0, 0, 0).pendingCount() == 1);
        assertThat(r.get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
        assertThat(notifications(NotificationType.RESET_DETECTED)).isEqualTo(1);
        assertThat(adapter.eventLog().entries("StorPortNotification(RESET_DETECTED)")).hasSize(1);
    }

    @Test
    void busChangeDetectedRescansTheBus() throws Exception {
        start();
        long reportLuns = device.opcodesSeen.stream().filter(o -> o == 0xA0).count();
        notify(NotificationType.BUS_CHANGE_DETECTED, 0);
        await("a second REPORT LUNS", () -> device.opcodesSeen.stream().filter(o -> o == 0xA0).count() == reportLuns + 1);
        await("the INQUIRYs of the rescan", () -> device.opcodesSeen.stream().filter(o -> o == 0x12).count() == 4);
        assertThat(adapter.logicalUnits()).extracting(PortLogicalUnit::address).containsExactly("0:0:0", "0:0:1");
        assertThat(adapter.eventLog().entries("StorPortNotification(BUS_CHANGE_DETECTED)")).singleElement()
                .satisfies(e -> assertThat(e.address()).isEqualTo("0:-:-"));
        assertThat(notifications(NotificationType.BUS_CHANGE_DETECTED)).isEqualTo(1);
    }

    @Test
    void linkDownHoldsTheAdapterUntilLinkUp() throws Exception {
        start();
        notify(NotificationType.LINK_DOWN);
        CompletableFuture<Done> r = read(1, 0);
        await("the read to be held", () -> adapter.logicalUnit(0, 0, 1).pendingCount() == 1);
        assertThat(r).isNotDone();
        notify(NotificationType.LINK_UP);
        assertThat(r.get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
    }

    @Test
    void wmiAndBufferOverrunNotificationsAreRecordedCountedAndLogged() throws Exception {
        start();
        notify(NotificationType.WMI_EVENT, new byte[16], 0, 0, 1);
        notify(NotificationType.WMI_REREGISTER, 0xFF);
        notify(NotificationType.BUFFER_OVERRUN_DETECTED);
        assertThat(adapter.eventLog().entries()).extracting(PortEventLog.Entry::routine, PortEventLog.Entry::address,
                PortEventLog.Entry::detail).containsExactly(
                org.assertj.core.groups.Tuple.tuple("StorPortNotification(WMI_EVENT)", "0:0:1", "WMI event (16 bytes)"),
                org.assertj.core.groups.Tuple.tuple("StorPortNotification(WMI_REREGISTER)", "adapter", "WMI re-registration requested"),
                org.assertj.core.groups.Tuple.tuple("StorPortNotification(BUFFER_OVERRUN_DETECTED)", "-", "buffer overrun detected"));
        assertThat(notifications(NotificationType.WMI_EVENT)).isEqualTo(1);
        assertThat(notifications(NotificationType.WMI_REREGISTER)).isEqualTo(1);
        assertThat(notifications(NotificationType.BUFFER_OVERRUN_DETECTED)).isEqualTo(1);
    }

    @Test
    void logErrorAndDebugPrintReachTheMeters() throws Exception {
        start();
        ext().port.logError(ext(), null, 0, 0, 1, 0x0000_0010, 0x42); // SP_BUS_PARITY_ERROR
        ext().port.debugPrint(1, "queue %d stuck", 3);
        assertThat(verifier.meters().counter("vhba.storport.logged.errors", "adapter", "test0", "error", "0x00000010").count())
                .isEqualTo(1);
        assertThat(verifier.meters().counter("vhba.storport.debug.prints", "driver", "testport", "level", "1").count())
                .isEqualTo(1);
        assertThat(adapter.counters().loggedErrors()).isEqualTo(1);
        assertThat(adapter.eventLog().entries("StorPortLogError")).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo("error 0x00000010 unique 0x00000042"));
    }

    @Test
    void whatIsNotEmulatedFailsLoudlyNamingTheRoutine() throws Exception {
        start();
        for (NotificationType t : new NotificationType[] {NotificationType.TRACE_NOTIFICATION,
                NotificationType.GET_EXTENDED_FUNCTION_TABLE, NotificationType.STATE_CHANGE_DETECTED_CALL,
                NotificationType.ASYNC_NOTIFICATION_DETECTED}) {
            assertThatThrownBy(() -> ext().port.notification(t, ext()))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining(t.name());
        }
        assertThatThrownBy(() -> ext().port.extendedFunction(StorPortFunctionCode.INITIALIZE_PO_FX_POWER, ext()))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("StorPortInitializePoFxPower");
    }
}
