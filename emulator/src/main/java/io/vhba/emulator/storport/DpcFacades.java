package io.vhba.emulator.storport;

import io.vhba.emulator.kernel.KThreadState;
import io.vhba.emulator.kernel.ke.KeDpcServices;
import io.vhba.emulator.kernel.wdf.WdfFramework;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.kernel.KernelServices;
import io.vhba.miniport.wdf.WdfServices;

/**
 * The two DPC facades a driver reaches through its {@code StorPort}, both over the kernel's
 * DPC queues that Storport's own DPCs use. A physical miniport must not call {@code Ke*}
 * DPC routines (STORPORT.md, DPCs; SDV HwStorPortProhibitedDDIs); a virtual miniport may.
 */
final class DpcFacades {
    private DpcFacades() {}

    static KernelServices kernel(PortServices ps) {
        return new KeDpcServices(ps.engine().kernel(), routine -> {
            DriverRegistration reg = ps.registration();
            if (reg == null || reg.data().isVirtual()) {
                return;
            }
            Object ctx = KThreadState.current().portContext();
            String adapter = ctx instanceof Adapter a ? a.name() : "-";
            ps.engine().verifier().report(VerifierRule.PROHIBITED_DDI, adapter, KThreadState.current().irql(), 0, 0,
                    "physical miniport " + ps.driver().name() + " called " + routine + "; it must use the Storport DPC wrappers");
        });
    }

    static WdfServices wdf(PortServices ps) {
        return new WdfFramework(ps.engine().kernel());
    }
}
