package io.vhba.miniport.wdf;

/** {@code WDFDPC}: a framework DPC object. */
public interface WdfDpc extends WdfObject {}
