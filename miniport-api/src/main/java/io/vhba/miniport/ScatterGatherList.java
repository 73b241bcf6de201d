package io.vhba.miniport;

/**
 * {@code STOR_SCATTER_GATHER_LIST}: the physical ranges of an SRB's data buffer, in
 * transfer order. It stays valid until the SRB completes; the miniport never modifies it
 * (STORPORT.md, "Scatter/gather").
 */
public interface ScatterGatherList {

    /** {@code NumberOfElements}. */
    int numberOfElements();

    /** {@code List[i].PhysicalAddress}. */
    long physicalAddress(int element);

    /** {@code List[i].Length}. */
    int length(int element);
}
