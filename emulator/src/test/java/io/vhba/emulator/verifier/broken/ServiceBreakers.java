package io.vhba.emulator.verifier.broken;

import io.vhba.emulator.kernel.Irql;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.InterfaceType;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.Srb;
import io.vhba.miniport.StorDpc;
import io.vhba.miniport.kernel.KDpc;

/** Miniports that call a Storport service where, when or how it may not be called. */
final class ServiceBreakers {
    private ServiceBreakers() {}

    /** StorPortInitializeDpc from StartIo: vHBA 0x3002 (the STOR_DPC). */
    static final class InitializesDpcInStartIo extends BrokenMiniport {
        @Override VerifierRule rule() { return VerifierRule.DPC_INITIALIZED_OUTSIDE_PASSIVE_INIT; }
        @Override String routine() { return "HwStorStartIo"; }

        @Override
        boolean breakStartIo(Ext e, Srb srb) {
            StorDpc late = new StorDpc();
            p2 = id(late);
            e.port.initializeDpc(e, late, (d, x, a1, a2) -> { });
            return false;
        }
    }

    /** StorPortEnablePassiveInitialization from StartIo: vHBA 0x3003. */
    static final class EnablesPassiveInitInStartIo extends BrokenMiniport {
        @Override VerifierRule rule() { return VerifierRule.ENABLE_PASSIVE_OUTSIDE_HW_INITIALIZE; }
        @Override String routine() { return "HwStorStartIo"; }

        @Override
        boolean breakStartIo(Ext e, Srb srb) {
            e.port.enablePassiveInitialization(e, x -> true);
            return false;
        }
    }

    /** Stalls the processor 0.15 s in its DPC: 0xF1/0x2001 (delay in microseconds). */
    static final class StallsTooLong extends BrokenMiniport {
        StallsTooLong() {
            p2 = 150_000;
        }

        @Override VerifierRule rule() { return VerifierRule.STALL_TOO_LONG; }
        @Override String routine() { return "HwStorDpcRoutine"; }

        @Override
        void breakDpc(Ext e) {
            e.port.stallExecution(150_000);
        }
    }

    /** Stalls (briefly) inside StartIo, where SDV StorPortStartIo allows no stall at all: 0xF1/0x2001 (delay, 1). */
    static final class StallsInStartIo extends BrokenMiniport {
        StallsInStartIo() {
            p2 = 10;
            p3 = 1;
        }

        @Override VerifierRule rule() { return VerifierRule.STALL_TOO_LONG; }
        @Override String routine() { return "HwStorStartIo"; }

        @Override
        boolean breakStartIo(Ext e, Srb srb) {
            e.port.stallExecution(10);
            return false;
        }
    }

    /** StorPortGetUncachedExtension outside HwStorFindAdapter: 0xF1/0x2002. */
    static final class UncachedExtensionInStartIo extends BrokenMiniport {
        @Override VerifierRule rule() { return VerifierRule.UNCACHED_EXTENSION_WRONG_TIME; }
        @Override String routine() { return "HwStorStartIo"; }

        @Override
        boolean breakStartIo(Ext e, Srb srb) {
            e.port.getUncachedExtension(e, e.config, 4096);
            return false;
        }
    }

    /** StorPortGetDeviceBase for an address that is none of the adapter's ranges: 0xF1/0x2003 (address, length). */
    static final class MapsAForeignRange extends BrokenMiniport {
        static final long FOREIGN = 0xDEAD_0000L;

        MapsAForeignRange() {
            p2 = FOREIGN;
            p3 = 4096;
        }

        @Override VerifierRule rule() { return VerifierRule.BAD_DEVICE_BASE; }
        @Override String routine() { return "HwStorStartIo"; }

        @Override
        boolean breakStartIo(Ext e, Srb srb) {
            e.port.getDeviceBase(e, InterfaceType.PCI_BUS, 0, FOREIGN, 4096, false);
            return false;
        }
    }

    /** Reads an offset of its BAR that the register map does not declare: 0xF1/0x2005 (address, width). */
    static final class ReadsAnUndeclaredRegister extends BrokenMiniport {
        @Override VerifierRule rule() { return VerifierRule.BAD_REGISTER_ADDRESS; }
        @Override String routine() { return "HwStorStartIo"; }

        @Override
        boolean breakStartIo(Ext e, Srb srb) {
            p2 = e.regs + 0x800;
            p3 = 4;
            e.port.readRegisterUlong(e, e.regs + 0x800);
            return false;
        }
    }

    /** StorPortGetPhysicalAddress for memory the port never gave it: 0xF1/0x1006 (extension, address). */
    static final class TranslatesAForeignAddress extends BrokenMiniport {
        @Override VerifierRule rule() { return VerifierRule.BAD_VIRTUAL_ADDRESS; }
        @Override String routine() { return "HwStorStartIo"; }

        @Override
        boolean breakStartIo(Ext e, Srb srb) {
            p2 = id(e);
            p3 = 0x1234;
            e.port.getPhysicalAddress(e, srb, 0x1234);
            return false;
        }
    }

    /** RequestTimerCall without a timer routine: SDV StorPortTimer, vHBA 0x3004. */
    static final class TimerWithoutRoutine extends BrokenMiniport {
        @Override VerifierRule rule() { return VerifierRule.TIMER_WITHOUT_ROUTINE; }
        @Override String routine() { return "HwStorStartIo"; }

        @Override
        boolean breakStartIo(Ext e, Srb srb) {
            e.port.notification(NotificationType.REQUEST_TIMER_CALL, e, null, 1000L);
            return false;
        }
    }

    /** StorPortNotification with a code storport.h does not define: SDV StorPortNotification2, vHBA 0x3005 (the code). */
    static final class UndocumentedNotification extends BrokenMiniport {
        UndocumentedNotification() {
            p2 = 0x77;
        }

        @Override VerifierRule rule() { return VerifierRule.UNDOCUMENTED_NOTIFICATION; }
        @Override String routine() { return "HwStorStartIo"; }

        @Override
        boolean breakStartIo(Ext e, Srb srb) {
            e.port.notification(0x77, e);
            return false;
        }
    }

    /** A physical miniport calls KeInsertQueueDpc itself: HwStorPortProhibitedDDIs, vHBA 0x3017 (IRQL). */
    static final class CallsTheKernelDirectly extends BrokenMiniport {
        CallsTheKernelDirectly() {
            p2 = Irql.DISPATCH_LEVEL;
        }

        @Override VerifierRule rule() { return VerifierRule.PROHIBITED_DDI; }
        @Override String routine() { return "HwStorStartIo"; }

        @Override
        boolean breakStartIo(Ext e, Srb srb) {
            e.port.kernel().initializeDpc(new KDpc(), (d, c, a1, a2) -> { }, null);
            return false;
        }
    }
}
