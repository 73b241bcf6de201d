package io.vhba.miniport.kernel;

/**
 * {@code KDPC_IMPORTANCE}: a high-importance DPC goes to the head of its processor's queue,
 * the others to the tail (wdm.h {@code KeSetImportanceDpc}).
 */
public enum KDpcImportance {
    LOW_IMPORTANCE,
    MEDIUM_IMPORTANCE,
    HIGH_IMPORTANCE,
    MEDIUM_HIGH_IMPORTANCE
}
