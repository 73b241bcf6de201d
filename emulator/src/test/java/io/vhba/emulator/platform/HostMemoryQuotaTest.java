package io.vhba.emulator.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** One consumer's share of host memory: charged by whole pages, credited when the last reference goes. */
class HostMemoryQuotaTest {
    private final HostMemory memory = new HostMemory(64L << 20);
    private final HostMemoryQuota quota = new HostMemoryQuota(memory, 64 * 1024);

    @Test
    void allocationsBeyondTheQuotaAreRefusedAndReleasesGiveRoomBack() {
        HostBuffer a = quota.allocate(32 * 1024);
        HostBuffer b = quota.allocate(30 * 1024 + 1); // 8 pages: 32 KiB charged
        assertThat(quota.chargedBytes()).isEqualTo(64 * 1024);
        assertThatThrownBy(() -> quota.allocate(1)).isInstanceOf(HostMemoryQuotaExceededException.class);
        assertThat(memory.allocatedPages()).isEqualTo(16);
        a.retain();
        a.release();
        assertThat(quota.chargedBytes()).as("a reference is still held").isEqualTo(64 * 1024);
        a.release();
        assertThat(quota.chargedBytes()).isEqualTo(32 * 1024);
        HostBuffer c = quota.allocate(32 * 1024);
        b.release();
        c.release();
        assertThat(quota.chargedBytes()).isZero();
        assertThat(memory.allocatedPages()).isZero();
    }

    @Test
    void exhaustedHostMemoryLeavesNothingCharged() {
        HostMemory small = new HostMemory(1 << 20);
        HostMemoryQuota big = new HostMemoryQuota(small, 8L << 20);
        HostBuffer all = big.allocate(1 << 20);
        assertThatThrownBy(() -> big.allocate(4096)).isInstanceOf(OutOfHostMemoryException.class);
        assertThat(big.chargedBytes()).isEqualTo(1 << 20);
        all.release();
        assertThat(big.chargedBytes()).isZero();
    }
}
