package io.vhba.emulator.storport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.verifier.BugCheck;
import io.vhba.emulator.verifier.VerifierPolicy;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.SrbStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** StorPortPause/Resume, PauseDevice/ResumeDevice, Busy/Ready, DeviceBusy/DeviceReady, CompleteRequest. */
class StorportQueueManagementTest extends EngineFixture {

    @BeforeEach
    void up() throws Exception {
        start();
    }

    private long startIos() {
        return adapter.counters().startIoCalls();
    }

    @Test
    void afterPauseNoRequestReachesStartIoUntilResume() throws Exception {
        assertThat(ext().port.pause(ext(), 60)).isTrue();
        long before = startIos();
        CompletableFuture<Done> r = read(0, 1);
        PortLogicalUnit lu = adapter.logicalUnit(0, 0, 0);
        await("the read to be queued", () -> lu.pendingCount() == 1);
        assertThat(startIos()).isEqualTo(before);
        assertThat(r).isNotDone();

        assertThat(ext().port.resume(ext())).isTrue();
        assertThat(r.get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(startIos()).isEqualTo(before + 1);
        assertThat(ext().port.resume(ext())).isFalse(); // no longer paused
        assertThat(adapter.eventLog().entries("StorPortPause")).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo("timeout 60 s"));
    }

    @Test
    void aPauseEndsByItselfAfterItsTimeout() throws Exception {
        assertThat(ext().port.pause(ext(), 1)).isTrue();
        long t0 = System.nanoTime();
        Done d = read(0, 2).get(5, TimeUnit.SECONDS);
        assertThat(d.status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(900));
        assertThat(adapter.eventLog().entries("StorPortResume")).isEmpty();
    }

    @Test
    void pauseDeviceHoldsOnlyThatLogicalUnit() throws Exception {
        assertThat(ext().port.pauseDevice(ext(), 0, 0, 1, 60)).isTrue();
        CompletableFuture<Done> held = read(1, 0);
        assertThat(read(0, 0).get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS); // LUN 0 flows
        await("LUN 1's read to be queued", () -> adapter.logicalUnit(0, 0, 1).pendingCount() == 1);
        assertThat(held).isNotDone();

        assertThat(ext().port.resumeDevice(ext(), 0, 0, 1)).isTrue();
        assertThat(held.get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(ext().port.pauseDevice(ext(), 0, 0, 7, 60)).isFalse(); // no such LU
    }

    @Test
    void busyHoldsNewRequestsUntilThatManyOutstandingOnesComplete() throws Exception {
        device.holdAll = true;
        AtomicInteger seen = new AtomicInteger();
        driver.startIoHook = (e, srb) -> {
            if (seen.incrementAndGet() == 3) {
                e.port.busy(e, 2); // three outstanding (this one included): wait for two
            }
        };
        CompletableFuture<Done> a = read(0, 0);
        CompletableFuture<Done> b = read(0, 1);
        CompletableFuture<Done> c = read(0, 2);
        await("three commands at the device", () -> device.parkedCount() == 3);
        long before = startIos();
        CompletableFuture<Done> d = read(0, 3);
        PortLogicalUnit lu = adapter.logicalUnit(0, 0, 0);
        await("the fourth read to be held", () -> lu.pendingCount() == 1);

        assertThat(device.releaseOne()).isTrue();
        assertThat(a.get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(lu.pendingCount()).isEqualTo(1); // one of two: still busy
        assertThat(startIos()).isEqualTo(before);

        assertThat(device.releaseOne()).isTrue();
        assertThat(b.get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        await("the held read to start", () -> device.parkedCount() == 2);
        assertThat(startIos()).isEqualTo(before + 1);
        device.holdAll = false;
        device.releaseAll();
        assertThat(c.get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(d.get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
    }

    @Test
    void readyEndsABusyHoldAtOnce() throws Exception {
        device.holdAll = true;
        driver.startIoHook = (e, srb) -> e.port.busy(e, 10);
        CompletableFuture<Done> a = read(0, 0);
        await("the first command at the device", () -> device.parkedCount() == 1);
        driver.startIoHook = null;
        CompletableFuture<Done> b = read(0, 1);
        PortLogicalUnit lu = adapter.logicalUnit(0, 0, 0);
        await("the second read to be held", () -> lu.pendingCount() == 1);

        assertThat(ext().port.ready(ext())).isTrue();
        await("the second read to reach the device", () -> device.parkedCount() == 2);
        device.holdAll = false;
        device.releaseAll();
        assertThat(a.get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(b.get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
    }

    @Test
    void busyWithNothingOutstandingHoldsNothing() throws Exception {
        assertThat(ext().port.busy(ext(), 5)).isTrue();
        assertThat(read(0, 0).get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
    }

    @Test
    void deviceBusyHoldsOneLogicalUnitUntilItsCompletions() throws Exception {
        device.holdAll = true;
        driver.startIoHook = (e, srb) -> {
            if (srb.lun() == 1) {
                e.port.deviceBusy(e, 0, 0, 1, 1);
            }
        };
        CompletableFuture<Done> first = read(1, 0);
        await("LUN 1's first read at the device", () -> device.parkedCount() == 1);
        driver.startIoHook = null;
        CompletableFuture<Done> second = read(1, 1);
        PortLogicalUnit lu1 = adapter.logicalUnit(0, 0, 1);
        await("LUN 1's second read to be held", () -> lu1.pendingCount() == 1);
        CompletableFuture<Done> other = read(0, 0);
        await("LUN 0's read at the device", () -> device.parkedCount() == 2);

        device.holdAll = false;
        device.releaseAll();
        assertThat(first.get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(other.get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(second.get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(adapter.eventLog().entries("StorPortDeviceBusy")).singleElement()
                .satisfies(e -> assertThat(e.address()).isEqualTo("0:0:1"));
    }

    @Test
    void deviceReadyReleasesADeviceBusyHold() throws Exception {
        device.holdAll = true;
        driver.startIoHook = (e, srb) -> e.port.deviceBusy(e, 0, 0, 0, 1);
        CompletableFuture<Done> first = read(0, 0);
        await("the first read at the device", () -> device.parkedCount() == 1);
        driver.startIoHook = null;
        CompletableFuture<Done> second = read(0, 1);
        await("the second read to be held", () -> adapter.logicalUnit(0, 0, 0).pendingCount() == 1);
        assertThat(ext().port.deviceReady(ext(), 0, 0, 0)).isTrue();
        await("the second read at the device", () -> device.parkedCount() == 2);
        device.holdAll = false;
        device.releaseAll();
        assertThat(first.get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(second.get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
    }

    @Test
    void completeRequestReturnsEveryOutstandingRequestOfTheUnitWithTheStatus() throws Exception {
        device.holdAll = true;
        CompletableFuture<Done> a = read(1, 0);
        CompletableFuture<Done> b = read(1, 1);
        CompletableFuture<Done> other = read(0, 0);
        await("three commands at the device", () -> device.parkedCount() == 3);

        onProcessor(() -> {
            ext().port.completeRequest(ext(), 0, 0, 1, SrbStatus.BUS_RESET);
            return null;
        });
        assertThat(a.get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.BUS_RESET);
        assertThat(b.get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.BUS_RESET);
        assertThat(other).isNotDone();
        assertThat(adapter.logicalUnit(0, 0, 1).outstanding()).isZero();
        assertThat(adapter.eventLog().entries("StorPortCompleteRequest")).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo("2 request(s) completed with BUS_RESET"));
    }

    @Test
    void completeRequestWithUntaggedLunFromAFullDuplexMiniportIsAFinding() throws Exception {
        verifier.setPolicy(VerifierPolicy.LOG_ONLY);
        onProcessor(() -> {
            ext().port.completeRequest(ext(), 0, 0, 0xFF, SrbStatus.BUS_RESET);
            return null;
        });
        BugCheck bc = verifier.awaitBugCheck(VerifierRule.COMPLETE_REQUEST_BY_MINIPORT, 1, TimeUnit.SECONDS);
        assertThat(bc).isNotNull();
        assertThat(bc.parameter1()).isEqualTo(0x3006);
    }
}
