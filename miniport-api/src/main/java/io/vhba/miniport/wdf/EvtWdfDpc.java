package io.vhba.miniport.wdf;

/** {@code EVT_WDF_DPC}: runs at DISPATCH_LEVEL; under the parent's lock when the DPC was created with automatic serialisation. */
@FunctionalInterface
public interface EvtWdfDpc {
    void evtDpcFunc(WdfDpc dpc);
}
