/**
 * A KMDF-style framework DPC ({@code WdfDpcCreate}, {@code WdfDpcEnqueue}, {@code WdfDpcCancel},
 * parent objects, automatic serialisation), kept to what a DPC needs.
 */
package io.vhba.miniport.wdf;
