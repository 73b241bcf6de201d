package io.vhba.miniport.wdf;

/**
 * The KMDF-style framework routines for DPC objects ({@code WdfDpc*}) and the object tree
 * they hang on ({@code WdfObject*}). Built on the same kernel DPC queues as the Storport
 * and {@code Ke*} facades. Misuse (a deleted handle, waiting where waiting deadlocks) is a
 * bug check 0x10D WDF_VIOLATION.
 */
public interface WdfServices {

    /** {@code WdfObjectCreate}: a general object with a synchronisation lock, the parent of DPCs. */
    WdfObject objectCreate(WdfObjectAttributes attributes);

    /**
     * {@code WdfObjectDelete}: deletes the object's children first (a DPC child is cancelled
     * and its running callback waited for), then the object. PASSIVE_LEVEL when the tree holds DPCs.
     */
    void objectDelete(WdfObject object);

    /** {@code WdfObjectAcquireLock}: the object's synchronisation lock, raising to DISPATCH_LEVEL. */
    void objectAcquireLock(WdfObject object);

    /** {@code WdfObjectReleaseLock}. */
    void objectReleaseLock(WdfObject object);

    /**
     * {@code WdfDpcCreate}: {@code attributes.parentObject()} is required.
     *
     * @throws IllegalArgumentException without a live parent (STATUS_INVALID_PARAMETER)
     */
    WdfDpc dpcCreate(WdfDpcConfig config, WdfObjectAttributes attributes);

    /** {@code WdfDpcEnqueue}: false, and nothing done, when the DPC is already queued. */
    boolean dpcEnqueue(WdfDpc dpc);

    /**
     * {@code WdfDpcCancel}: true if the DPC was queued and is now removed. With {@code wait}
     * it also returns only after every queued or running callback has finished; then it must
     * be called at PASSIVE_LEVEL and never from the DPC's own callback.
     */
    boolean dpcCancel(WdfDpc dpc, boolean wait);

    /** {@code WdfDpcGetParentObject}. */
    WdfObject dpcGetParentObject(WdfDpc dpc);
}
