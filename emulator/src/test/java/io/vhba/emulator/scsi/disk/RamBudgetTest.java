package io.vhba.emulator.scsi.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.miniport.scsi.ScsiStatus;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** RAM disks pay for their chunks from a heap budget, and a write that finds none left is refused cleanly. */
class RamBudgetTest {
    private static final int CHUNK = SparseRamStore.DEFAULT_CHUNK_SIZE;

    @Test
    void theHeapBudgetKeepsBackAReserve() {
        assertThat(RamBudget.forHeap(4L << 30)).isEqualTo((4L << 30) - (64L << 20) - (512L << 20));
        assertThat(RamBudget.forHeap(32L << 20)).isZero();
        assertThat(RamBudget.heap().limit()).isLessThan(Runtime.getRuntime().maxMemory());
    }

    @Test
    void aThinStorePaysPerChunkAndGivesBackOnDeallocateAndClose() throws Exception {
        RamBudget budget = new RamBudget(2L * CHUNK);
        SparseRamStore s = SparseRamStore.open(64L << 20, budget, false);
        s.write(0, ByteBuffer.wrap(new byte[4096]));
        s.write(CHUNK, ByteBuffer.wrap(new byte[4096]));
        assertThat(budget.used()).isEqualTo(2L * CHUNK);
        // a third chunk does not fit; the chunks already mapped still take writes
        assertThatThrownBy(() -> s.write(5L * CHUNK, ByteBuffer.wrap(new byte[4096])))
                .isInstanceOf(SpaceAllocationFailedException.class).hasMessageContaining("no room");
        s.write(100, ByteBuffer.wrap(new byte[512]));
        assertThat(s.allocatedBytes()).isEqualTo(2L * CHUNK);
        s.deallocate(0, CHUNK);
        assertThat(budget.used()).isEqualTo(CHUNK);
        s.write(5L * CHUNK, ByteBuffer.wrap(new byte[4096]));
        s.close();
        assertThat(budget.used()).isZero();
    }

    @Test
    void aThickStoreReservesItsCapacityOrIsRefusedNamingTheNumbers() throws Exception {
        RamBudget budget = new RamBudget(96L << 20);
        SparseRamStore thick = SparseRamStore.open(64L << 20, budget, true);
        assertThat(budget.used()).isEqualTo(64L << 20);
        thick.write(0, ByteBuffer.wrap(new byte[4096])); // already paid for
        assertThat(budget.used()).isEqualTo(64L << 20);
        assertThatThrownBy(() -> SparseRamStore.open(64L << 20, budget, true))
                .isInstanceOf(InsufficientRamException.class)
                .hasMessageContaining("thick RAM disk of 64 MiB").hasMessageContaining("32 MiB of heap left");
        assertThatThrownBy(() -> thick.resize(128L << 20)).isInstanceOf(SpaceAllocationFailedException.class);
        thick.resize(32L << 20);
        assertThat(budget.used()).isEqualTo(32L << 20);
        thick.close();
        assertThat(budget.used()).isZero();
    }

    @Test
    void aDiskOutOfRamAnswersSpaceAllocationFailedAndKeepsServing() {
        DiskConfig config = DiskRig.config(512, 1 << 20).withThinProvisioning(true);
        SparseRamStore store = SparseRamStore.open(config.geometry().capacityBytes(), new RamBudget(CHUNK), false);
        DiskRig rig = new DiskRig(config, store);
        rig.write(0, DiskRig.filled(4096, 7));
        DiskRig.Result refused = rig.out(DiskRig.filled(4096, 8), DiskRig.write16(1 << 16, 8, 0));
        assertThat(refused.status()).isEqualTo(ScsiStatus.CHECK_CONDITION);
        // DATA PROTECT / SPACE ALLOCATION FAILED WRITE PROTECT (SBC-4 4.7.3.6)
        assertThat(DiskRig.senseSummary(refused.sense())).startsWith("7/27/07");
        assertThat(rig.read(0, 8)).containsOnly(7);
        assertThat(rig.read(1 << 16, 8)).containsOnly(0);
        rig.write(8, DiskRig.filled(512, 9)); // the mapped chunk still takes writes
        assertThat(rig.read(8, 1)).containsOnly(9);
    }
}
