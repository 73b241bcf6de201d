package io.vhba.emulator.verifier.broken;

import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbStatus;

/** Miniports that get the life of an SRB wrong (STORPORT.md, "The life of an SRB"). */
final class CompletionBreakers {
    private CompletionBreakers() {}

    /** Completes every request twice from its DPC: 0xF1/0x2004 (extension, SRB). */
    static final class CompletesTwice extends BrokenMiniport {
        @Override VerifierRule rule() { return VerifierRule.DOUBLE_COMPLETION; }
        @Override String routine() { return "HwStorDpcRoutine"; }

        @Override
        void completeFromDpc(Ext e, Srb srb) {
            p2 = id(e);
            p3 = id(srb);
            complete(e, srb);
            complete(e, srb);
        }
    }

    /** Completes with SRB_STATUS_PENDING, the status the port set before StartIo: 0xF1/0x1004 (SRB, extension). */
    static final class CompletesPending extends BrokenMiniport {
        @Override VerifierRule rule() { return VerifierRule.INVALID_SRB_STATUS; }
        @Override String routine() { return "HwStorStartIo"; }

        @Override
        boolean breakStartIo(Ext e, Srb srb) {
            p2 = id(srb);
            p3 = id(e);
            srb.setSrbStatus(SrbStatus.PENDING);
            complete(e, srb);
            return true;
        }
    }

    /** Reads the CDB of a request it has just completed: vHBA 0x3001 (SRB). */
    static final class TouchesSrbAfterCompletion extends BrokenMiniport {
        @Override VerifierRule rule() { return VerifierRule.SRB_USED_AFTER_COMPLETION; }
        @Override String routine() { return "HwStorStartIo"; }

        @Override
        boolean breakStartIo(Ext e, Srb srb) {
            p2 = id(srb);
            srb.setSrbStatus(SrbStatus.SUCCESS);
            complete(e, srb);
            srb.cdb(0); // the port owns it now
            return true;
        }
    }

    /** Sends a request to the hardware, then completes it BUSY from the DPC: vHBA 0x3011 (SRB, extension). */
    static final class BusyAfterStarting extends BrokenMiniport {
        @Override VerifierRule rule() { return VerifierRule.BUSY_MID_TRANSACTION; }
        @Override String routine() { return "HwStorDpcRoutine"; }

        @Override
        void completeFromDpc(Ext e, Srb srb) {
            p2 = id(srb);
            p3 = id(e);
            srb.setSrbStatus(SrbStatus.BUSY);
            complete(e, srb);
        }
    }

    /** HwStorBuildIo says "do not start" without completing the request: vHBA 0x3008 (SRB, 0). */
    static final class BuildIoDropsTheRequest extends BrokenMiniport {
        @Override VerifierRule rule() { return VerifierRule.BUILDIO_RETURN_VALUE; }
        @Override String routine() { return "HwStorBuildIo"; }
        @Override boolean reportedInsideTheMiniport() { return false; }

        @Override
        boolean buildIo(Ext e, Srb srb) {
            p2 = id(srb);
            return false;
        }
    }

    /** StartIo throws: vHBA 0x3015 (KMODE_EXCEPTION_NOT_HANDLED on Windows). */
    static final class ThrowsInStartIo extends BrokenMiniport {
        @Override VerifierRule rule() { return VerifierRule.MINIPORT_EXCEPTION; }
        @Override String routine() { return "HwStorStartIo"; }
        @Override boolean reportedInsideTheMiniport() { return false; }

        @Override
        boolean breakStartIo(Ext e, Srb srb) {
            throw new IllegalStateException("a miniport bug");
        }
    }
}
