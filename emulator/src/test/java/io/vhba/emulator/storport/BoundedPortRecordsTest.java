package io.vhba.emulator.storport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.verifier.VerifierPolicy;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.StorStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The port's records that a miniport can grow (freed pool buffers, the event log) are bounded and count drops. */
class BoundedPortRecordsTest extends EngineFixture {
    private static final int TAG = 0x41424856;

    @BeforeEach
    void up() throws Exception {
        start();
    }

    @Test
    void theFreedPoolRecordKeepsTheNewestBuffersAndCountsWhatItForgets() throws Exception {
        int extra = 10;
        List<MemoryBuffer> freedInOrder = new ArrayList<>();
        onProcessor(() -> {
            for (int i = 0; i < PoolAllocations.FREED_RECORD_CAPACITY + extra; i++) {
                MemoryBuffer b = ext().port.allocatePool(ext(), 16, TAG);
                ext().port.freePool(ext(), b);
                freedInOrder.add(b);
            }
            return null;
        });

        assertThat(adapter.pool.freedRecorded()).isEqualTo(PoolAllocations.FREED_RECORD_CAPACITY);
        assertThat(adapter.pool.freedDropped()).isEqualTo(extra);
        assertThat(verifier.meters().counter("vhba.storport.pool.freed.dropped", "adapter", "test0").count())
                .isEqualTo(extra);

        // The newest free is still recognised as a double free; the oldest one is still refused, as foreign.
        verifier.setPolicy(VerifierPolicy.LOG_ONLY);
        MemoryBuffer newest = freedInOrder.get(freedInOrder.size() - 1);
        assertThat((int) onProcessor(() -> ext().port.freePool(ext(), newest)))
                .isEqualTo(StorStatus.STOR_STATUS_INVALID_PARAMETER);
        assertThat(verifier.awaitBugCheck(VerifierRule.POOL_DOUBLE_FREE, 1, TimeUnit.SECONDS).detail())
                .endsWith("already freed");
        MemoryBuffer oldest = freedInOrder.get(0);
        assertThat((int) onProcessor(() -> ext().port.freePool(ext(), oldest)))
                .isEqualTo(StorStatus.STOR_STATUS_INVALID_PARAMETER);
        assertThat(verifier.bugChecks()).hasSize(2).last()
                .satisfies(b -> assertThat(b.detail()).endsWith("not allocated by StorPortAllocatePool for this adapter"));
    }

    @Test
    void theEventLogIsARingThatCountsWhatItPushesOut() {
        int extra = 7;
        for (int i = 0; i < PortEventLog.CAPACITY + extra; i++) {
            ext().port.logError(ext(), null, 0, 0, 1, 0x10, i);
        }

        List<PortEventLog.Entry> entries = adapter.eventLog().entries("StorPortLogError");
        assertThat(entries).hasSize(PortEventLog.CAPACITY);
        assertThat(entries.get(0).detail()).isEqualTo(String.format("error 0x00000010 unique 0x%08X", extra));
        assertThat(adapter.eventLog().dropped()).isEqualTo(extra);
        assertThat(verifier.meters().counter("vhba.storport.eventlog.dropped", "adapter", "test0").count())
                .isEqualTo(extra);
    }
}
