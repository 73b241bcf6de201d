package io.vhba.emulator.scsi.disk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Held EXTENDED COPY results are bounded: the result held longest goes first, and is counted. */
class HeldCopyResultsBoundTest {

    @Test
    void pastTheCapTheOldestHeldResultIsDroppedAndCounted() {
        HeldCopyResults results = new HeldCopyResults();
        int extra = 6;
        for (int listId = 0; listId < HeldCopyResults.HELD_CAPACITY + extra; listId++) {
            HeldCopyResults.Progress p = results.begin(listId, true);
            results.end(p, true, true, null);
        }

        assertThat(results.heldCount()).isEqualTo(HeldCopyResults.HELD_CAPACITY);
        assertThat(results.dropped()).isEqualTo(extra);
        for (int listId = 0; listId < extra; listId++) {
            assertThat(results.status(listId)).isNull();
        }
        assertThat(results.status(extra).status()).isEqualTo(HeldCopyResults.CopyManagerStatus.COMPLETED);
        assertThat(results.status(HeldCopyResults.HELD_CAPACITY + extra - 1)).isNotNull();
    }

    @Test
    void reusingAnIdentifierReplacesItsResultWithoutDroppingAnother() {
        HeldCopyResults results = new HeldCopyResults();
        for (int round = 0; round < 3; round++) {
            for (int listId = 0; listId < HeldCopyResults.HELD_CAPACITY; listId++) {
                results.end(results.begin(listId, true), true, true, null);
            }
        }
        assertThat(results.heldCount()).isEqualTo(HeldCopyResults.HELD_CAPACITY);
        assertThat(results.dropped()).isZero();
    }
}
