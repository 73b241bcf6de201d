package io.vhba.emulator.verifier.broken;

import io.vhba.emulator.kernel.Irql;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.PortConfigurationInformation;
import io.vhba.miniport.SpinLockType;
import io.vhba.miniport.StorDpc;
import io.vhba.miniport.StorLockHandle;

/** Miniports that break the start-up order (STORPORT.md, "Start-up order"): the adapter never starts. */
final class StartupBreakers {
    private StartupBreakers() {}

    /** FindAdapter returns FOUND without MaximumTransferLength: SDV StorPortFindAdapter, vHBA 0x3009 (noticed on return). */
    static final class FindAdapterWithoutTransferLimits extends BrokenMiniport {
        @Override VerifierRule rule() { return VerifierRule.FIND_ADAPTER_CONFIG; }
        @Override String routine() { return "-"; }
        @Override boolean reportedInsideTheMiniport() { return false; }

        @Override
        void breakFindAdapter(Ext e, PortConfigurationInformation c) {
            c.setMaximumTransferLength(0);
        }
    }

    /** FindAdapter takes the StartIo lock; it may take none: IRQL 0x300A (lock 2, at PASSIVE, may take nothing). */
    static final class FindAdapterTakesALock extends BrokenMiniport {
        FindAdapterTakesALock() {
            p2 = SpinLockType.START_IO_LOCK.code();
            p3 = Irql.PASSIVE_LEVEL;
        }

        @Override VerifierRule rule() { return VerifierRule.IRQL; }
        @Override String routine() { return "HwStorFindAdapter"; }

        @Override
        void breakFindAdapter(Ext e, PortConfigurationInformation c) {
            e.port.acquireSpinLock(e, SpinLockType.START_IO_LOCK, null, new StorLockHandle());
        }
    }

    /** The uncached extension requested from HwStorInitialize: 0xF1/0x2002. */
    static final class UncachedExtensionInHwInitialize extends BrokenMiniport {
        @Override VerifierRule rule() { return VerifierRule.UNCACHED_EXTENSION_WRONG_TIME; }
        @Override String routine() { return "HwStorInitialize"; }

        @Override
        void breakHwInitialize(Ext e) {
            e.port.getUncachedExtension(e, e.config, 4096);
        }
    }

    /** StorPortInitializeDpc from HwStorInitialize (DIRQL) instead of the passive routine: vHBA 0x3002 (the STOR_DPC). */
    static final class InitializesDpcInHwInitialize extends BrokenMiniport {
        @Override VerifierRule rule() { return VerifierRule.DPC_INITIALIZED_OUTSIDE_PASSIVE_INIT; }
        @Override String routine() { return "HwStorInitialize"; }

        @Override
        void breakHwInitialize(Ext e) {
            StorDpc early = new StorDpc();
            p2 = id(early);
            e.port.initializeDpc(e, early, (d, x, a1, a2) -> { });
        }
    }

    /** StorPortEnablePassiveInitialization from FindAdapter: SDV StorPortPassiveFromHwInit, vHBA 0x3003. */
    static final class EnablesPassiveInitInFindAdapter extends BrokenMiniport {
        @Override VerifierRule rule() { return VerifierRule.ENABLE_PASSIVE_OUTSIDE_HW_INITIALIZE; }
        @Override String routine() { return "HwStorFindAdapter"; }

        @Override
        void breakFindAdapter(Ext e, PortConfigurationInformation c) {
            e.port.enablePassiveInitialization(e, x -> true);
        }
    }
}
