package io.vhba.miniport.wdf;

/**
 * {@code WDFOBJECT}: a handle to a framework object. Objects form a tree: deleting a parent
 * deletes its children first. Every object created with {@link WdfServices#objectCreate} has
 * a synchronisation lock (a spin lock, {@code WdfObjectAcquireLock}), which is what
 * automatic serialisation of its child DPCs uses.
 */
public interface WdfObject {}
