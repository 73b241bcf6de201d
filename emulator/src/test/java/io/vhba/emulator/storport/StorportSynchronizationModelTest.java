package io.vhba.emulator.storport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.kernel.KThreadState;
import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.verifier.BugCheck;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.SynchronizationModel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** FULL_DUPLEX, HALF_DUPLEX and CONCURRENT_CHANNELS, and line (INTx) interrupts. */
class StorportSynchronizationModelTest extends EngineFixture {
    private final List<String> locksInStartIo = new CopyOnWriteArrayList<>();

    private TestMiniport miniport(SynchronizationModel mode, boolean line) {
        TestMiniport m = new TestMiniport();
        m.mode = mode;
        m.lineInterrupt = line;
        m.startIoHook = (e, srb) -> locksInStartIo.add(adapter == null ? "during the bus scan" : "startIoLock=" + adapter.startIoLock.isHeldByCurrentThread()
                + " interruptLock=" + adapter.interruptLock.isHeldByCurrentThread()
                + " held=" + KThreadState.current().heldLocks().size());
        return m;
    }

    private void writeThenReadBack(int lba) throws Exception {
        HostBuffer out = memory.allocate(512);
        for (int i = 0; i < 512; i++) {
            out.putByte(i, (byte) (i ^ lba));
        }
        assertThat(io(0, 0x2A, lba, out).get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        HostBuffer in = memory.allocate(512);
        assertThat(io(0, 0x28, lba, in).get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        for (int i = 0; i < 512; i++) {
            assertThat(in.getByte(i)).isEqualTo((byte) (i ^ lba));
        }
    }

    @Test
    void halfDuplexRunsStartIoAtDirqlUnderTheInterruptLockWithALineInterrupt() throws Exception {
        start(miniport(SynchronizationModel.HALF_DUPLEX, true), new TestController(true));
        assertThat(adapter.interrupts()).singleElement().satisfies(ki -> assertThat(ki.isLevelTriggered()).isTrue());
        ext().events.clear();
        locksInStartIo.clear();
        writeThenReadBack(9);
        assertThat(ext().events).contains("StartIo DIRQL(5) locks=1", "ISR DIRQL(5) locks=1", "DPC DISPATCH_LEVEL locks=0");
        assertThat(locksInStartIo).containsOnly("startIoLock=false interruptLock=true held=1");
        assertThat(adapter.interrupts().get(0).deliveredCount()).isGreaterThanOrEqualTo(2);
        assertThat(device.lineInterruptAsserted()).isFalse(); // the ISR drained DONE, the level dropped
    }

    @Test
    void halfDuplexForbidsPoolAllocationInStartIo() throws Exception {
        TestMiniport m = miniport(SynchronizationModel.HALF_DUPLEX, true);
        start(m, new TestController(true));
        m.startIoHook = (e, srb) -> e.port.allocatePool(e, 64, 0x20202020);
        read(0, 0);
        BugCheck bc = verifier.awaitBugCheck(VerifierRule.PROHIBITED_IN_HALF_DUPLEX_START_IO, 5, TimeUnit.SECONDS);
        assertThat(bc).isNotNull();
        assertThat(bc.routine()).isEqualTo("test0 HwStorStartIo");
        assertThat(adapter.pool.bytesAllocated()).isZero();
    }

    @Test
    void fullDuplexRunsStartIoUnderTheStartIoLockOnly() throws Exception {
        start(miniport(SynchronizationModel.FULL_DUPLEX, false), new TestController());
        locksInStartIo.clear();
        writeThenReadBack(3);
        assertThat(locksInStartIo).containsOnly("startIoLock=true interruptLock=false held=1");
    }

    @Test
    void concurrentChannelsRunStartIoWithNoPortLock() throws Exception {
        start(miniport(SynchronizationModel.CONCURRENT_CHANNELS, false), new TestController());
        ext().events.clear();
        locksInStartIo.clear();
        writeThenReadBack(4);
        assertThat(locksInStartIo).containsOnly("startIoLock=false interruptLock=false held=0");
        assertThat(ext().events).contains("StartIo DISPATCH_LEVEL locks=0");
    }

    @Test
    void aLineInterruptWorksInFullDuplexToo() throws Exception {
        start(miniport(SynchronizationModel.FULL_DUPLEX, true), new TestController(true));
        assertThat(adapter.interrupts()).singleElement().satisfies(ki -> {
            assertThat(ki.isLevelTriggered()).isTrue();
            assertThat(ki.name()).endsWith("INTx");
        });
        writeThenReadBack(5);
    }
}
