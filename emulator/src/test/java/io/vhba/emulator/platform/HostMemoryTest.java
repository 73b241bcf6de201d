package io.vhba.emulator.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Host memory grows with the load and gives wholly free chunks back once the load is gone. */
class HostMemoryTest {
    private static final int CHUNK = HostMemory.CHUNK_FRAMES * HostMemory.PAGE_SIZE;

    @Test
    void whollyFreeChunksGoBackBeyondTheSpares() {
        HostMemory m = new HostMemory(64L << 20);
        List<HostBuffer> burst = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            burst.add(m.allocate(1 << 20)); // 32 MiB of 1 MiB transfers
        }
        assertThat(m.residentBytes()).isEqualTo(32L * CHUNK);
        burst.forEach(HostBuffer::release);
        assertThat(m.allocatedPages()).isZero();
        // the spares stay for the next burst; everything else went back
        assertThat(m.residentBytes()).isBetween((long) HostMemory.SPARE_CHUNKS * CHUNK, (HostMemory.SPARE_CHUNKS + 2L) * CHUNK);
        assertThat(m.chunksReleased()).isGreaterThanOrEqualTo(32 - HostMemory.SPARE_CHUNKS - 2);
    }

    @Test
    void aReleasedChunkIsReusedWithItsAddressesAndDataStaysIntact() {
        HostMemory m = new HostMemory(16L << 20);
        List<HostBuffer> burst = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            burst.add(m.allocate(1 << 20));
        }
        // the cap counts chunks that hold memory, not the frame numbers handed out over time
        assertThatThrownBy(() -> m.allocate(4096)).isInstanceOf(OutOfHostMemoryException.class);
        HostBuffer kept = burst.remove(0);
        kept.putLong(8, 0x1122334455667788L);
        burst.forEach(HostBuffer::release);
        Set<Long> pages = new HashSet<>();
        List<HostBuffer> again = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            HostBuffer b = m.allocate(1 << 20);
            b.putInt(0, i);
            again.add(b);
            for (int p = 0; p < b.pageCount(); p++) {
                assertThat(pages.add(b.physicalAddress(p * HostMemory.PAGE_SIZE))).as("a page handed out twice").isTrue();
            }
        }
        assertThat(m.frameOf(again.get(14).physicalAddress(0))).isLessThan(16 * HostMemory.CHUNK_FRAMES);
        assertThat(kept.getLong(8)).isEqualTo(0x1122334455667788L);
        for (int i = 0; i < 15; i++) {
            assertThat(again.get(i).getInt(0)).isEqualTo(i);
        }
    }
}
