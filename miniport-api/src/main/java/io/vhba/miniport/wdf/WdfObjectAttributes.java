package io.vhba.miniport.wdf;

/**
 * {@code WDF_OBJECT_ATTRIBUTES}, the part this framework models.
 *
 * @param parentObject the parent; deleting it deletes this object. Required for a DPC.
 */
public record WdfObjectAttributes(WdfObject parentObject) {

    /** {@code WDF_OBJECT_ATTRIBUTES_INIT}: no parent (the driver object is the parent). */
    public static WdfObjectAttributes none() {
        return new WdfObjectAttributes(null);
    }

    public static WdfObjectAttributes parent(WdfObject parent) {
        return new WdfObjectAttributes(parent);
    }
}
