package io.vhba.emulator.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The verifier keeps the newest bug checks only, and counts the ones it let go. */
class BoundedBugCheckListTest {

    @Test
    void theBugCheckListKeepsTheNewestAndCountsTheRest() {
        StorportVerifier verifier = new StorportVerifier();
        verifier.setPolicy(VerifierPolicy.LOG_ONLY);
        int total = StorportVerifier.BUG_CHECK_CAPACITY + 44;
        for (int i = 0; i < total; i++) {
            verifier.report(VerifierRule.POOL_DOUBLE_FREE, "a0", i, 0, 0, "report " + i);
        }

        assertThat(verifier.bugChecks()).hasSize(StorportVerifier.BUG_CHECK_CAPACITY);
        assertThat(verifier.bugChecks().get(0).parameter2()).isEqualTo(44);
        assertThat(verifier.bugChecks().get(StorportVerifier.BUG_CHECK_CAPACITY - 1).parameter2()).isEqualTo(total - 1);
        assertThat(verifier.bugChecksDropped()).isEqualTo(44);
        assertThat(verifier.meters().counter("vhba.verifier.bugchecks.dropped").count()).isEqualTo(44);
        // every report is still counted by rule
        assertThat(verifier.meters().counter("vhba.verifier.bugchecks", "rule", "POOL_DOUBLE_FREE").count())
                .isEqualTo(total);
    }
}
