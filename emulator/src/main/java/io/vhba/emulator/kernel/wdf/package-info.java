/**
 * A KMDF-style framework DPC object ({@link io.vhba.miniport.wdf.WdfServices}) over the
 * simulated kernel's DPC queues: parent objects with synchronisation locks, automatic
 * serialisation, cancel with and without wait, deletion of a parent's tree.
 */
package io.vhba.emulator.kernel.wdf;
