package io.vhba.miniport.wdf;

import java.util.Objects;

/**
 * {@code WDF_DPC_CONFIG}.
 *
 * @param evtDpcFunc             the callback
 * @param automaticSerialization whether the callback runs holding the parent object's
 *                               synchronisation lock ({@code WDF_DPC_CONFIG_INIT} sets it TRUE)
 */
public record WdfDpcConfig(EvtWdfDpc evtDpcFunc, boolean automaticSerialization) {

    public WdfDpcConfig {
        Objects.requireNonNull(evtDpcFunc, "EvtDpcFunc");
    }

    /** {@code WDF_DPC_CONFIG_INIT}: automatic serialisation on. */
    public static WdfDpcConfig init(EvtWdfDpc evtDpcFunc) {
        return new WdfDpcConfig(evtDpcFunc, true);
    }
}
