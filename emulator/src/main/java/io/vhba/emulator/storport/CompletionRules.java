package io.vhba.emulator.storport;

import io.vhba.emulator.kernel.KThreadState;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.SrbStatus;

/**
 * Completion checks that need to know where the miniport completes from.
 *
 * <p>BUSY mid-transaction: SRB_STATUS_BUSY tells the port "not started, reissue it through
 * BuildIo and StartIo" (STORPORT.md). It is a refusal to start, so it is legal from
 * HwStorBuildIo and HwStorStartIo. Once the miniport has taken the request's scatter/gather
 * list (it programmed the DMA) and a later routine (ISR, DPC, timer) completes it BUSY, the
 * device may already have moved data: a reissue would run the command twice. The miniport
 * must report the device's outcome instead (for example ScsiStatus BUSY with SRB_STATUS_ERROR).
 */
final class CompletionRules {
    private CompletionRules() {}

    static void checkBusy(Adapter a, EngineSrb srb) {
        if (srb.state != SrbState.MINIPORT || (srb.srbStatus & 0x3F) != SrbStatus.BUSY.code() || srb.sgList == null) {
            return;
        }
        String r = KThreadState.current().routine();
        if (r != null && (r.endsWith("HwStorStartIo") || r.endsWith("HwStorBuildIo"))) {
            return;
        }
        a.verifyFailed(VerifierRule.BUSY_MID_TRANSACTION, System.identityHashCode(srb), System.identityHashCode(a.deviceExtension),
                "SRB_STATUS_BUSY from " + (r == null ? "outside a miniport routine" : r) + " for " + srb
                        + ", whose scatter/gather list the miniport had already taken");
    }
}
