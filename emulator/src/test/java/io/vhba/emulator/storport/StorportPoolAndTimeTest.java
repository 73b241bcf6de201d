package io.vhba.emulator.storport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.verifier.BugCheck;
import io.vhba.emulator.verifier.VerifierPolicy;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.PerformanceCounter;
import io.vhba.miniport.StorStatus;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** StorPortAllocatePool / StorPortFreePool, StorPortQuerySystemTime, StorPortQueryPerformanceCounter. */
class StorportPoolAndTimeTest extends EngineFixture {
    private static final int TAG = 'v' | ('H' << 8) | ('B' << 16) | ('A' << 24); // shows as "vHBA"

    @BeforeEach
    void up() throws Exception {
        start();
    }

    private MemoryBuffer allocate(int n) throws Exception {
        return onProcessor(() -> ext().port.allocatePool(ext(), n, TAG));
    }

    @Test
    void poolIsUsableTrackedAndFreed() throws Exception {
        MemoryBuffer b = allocate(10_000);
        assertThat(b.length()).isEqualTo(10_000);
        b.putInt(9_996, 0xCAFEF00D);
        assertThat(b.getInt(9_996)).isEqualTo(0xCAFEF00D);
        assertThat(adapter.pool.bytesAllocated()).isEqualTo(10_000);
        assertThat((int) onProcessor(() -> ext().port.freePool(ext(), b))).isEqualTo(StorStatus.STOR_STATUS_SUCCESS);
        assertThat(adapter.pool.bytesAllocated()).isZero();
        assertThat(verifier.meters().counter("vhba.storport.pool.allocated.bytes", "adapter", "test0").count()).isEqualTo(10_000);
    }

    @Test
    void freeingTwiceIsPoolDoubleFree() throws Exception {
        verifier.setPolicy(VerifierPolicy.LOG_ONLY);
        MemoryBuffer b = allocate(64);
        assertThat((int) onProcessor(() -> ext().port.freePool(ext(), b))).isEqualTo(StorStatus.STOR_STATUS_SUCCESS);
        assertThat((int) onProcessor(() -> ext().port.freePool(ext(), b))).isEqualTo(StorStatus.STOR_STATUS_INVALID_PARAMETER);
        BugCheck bc = verifier.awaitBugCheck(VerifierRule.POOL_DOUBLE_FREE, 1, TimeUnit.SECONDS);
        assertThat(bc).isNotNull();
        assertThat(bc.parameter1()).isEqualTo(0x3010);
        assertThat(bc.detail()).endsWith("already freed");
    }

    @Test
    void freeingMemoryThePoolDidNotGiveIsAFindingToo() throws Exception {
        verifier.setPolicy(VerifierPolicy.LOG_ONLY);
        MemoryBuffer foreign = memory.allocate(64);
        onProcessor(() -> ext().port.freePool(ext(), foreign));
        assertThat(verifier.awaitBugCheck(VerifierRule.POOL_DOUBLE_FREE, 1, TimeUnit.SECONDS).detail())
                .endsWith("not allocated by StorPortAllocatePool for this adapter");
    }

    @Test
    void poolHeldWhenTheAdapterStopsIsAPoolLeak() throws Exception {
        allocate(100);
        allocate(200);
        adapter.stop();
        BugCheck bc = verifier.awaitBugCheck(VerifierRule.POOL_LEAK, 1, TimeUnit.SECONDS);
        assertThat(bc).isNotNull();
        assertThat(bc.parameter2()).isEqualTo(2);
        assertThat(bc.parameter3()).isEqualTo(300);
        assertThat(bc.detail()).contains("tag 'vHBA'");
        assertThat(adapter.state()).isEqualTo(AdapterState.STOPPED);
        assertThat(read(0, 0).get(5, TimeUnit.SECONDS).status()).isEqualTo(io.vhba.miniport.SrbStatus.NO_HBA);
    }

    @Test
    void systemTimeCountsHundredNanosecondsSince1601() {
        long t = ext().port.querySystemTime(ext());
        long expected = (Instant.now().getEpochSecond() + 11_644_473_600L) * 10_000_000L;
        assertThat(Math.abs(t - expected)).isLessThan(20_000_000L); // within 2 s
    }

    @Test
    void thePerformanceCounterAdvancesAtItsStatedFrequency() throws Exception {
        PerformanceCounter a = ext().port.queryPerformanceCounter(ext());
        Thread.sleep(20);
        PerformanceCounter b = ext().port.queryPerformanceCounter(ext());
        assertThat(a.frequency()).isEqualTo(1_000_000_000L);
        long elapsedMs = (b.counter() - a.counter()) * 1000 / b.frequency();
        assertThat(elapsedMs).isBetween(20L, 2_000L);
    }
}
