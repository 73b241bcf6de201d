package io.vhba.emulator.storport;

import io.vhba.emulator.platform.HostBuffer;
import io.vhba.miniport.ScatterGatherList;

/** {@code STOR_SCATTER_GATHER_LIST} built from the data buffer's page frames, adjacent frames merged. */
final class SgList implements ScatterGatherList {
    private final long[] addresses;
    private final int[] lengths;
    private final int count;

    SgList(HostBuffer buffer, int length) {
        int max = Math.max(1, buffer.pageCount());
        long[] a = new long[max];
        int[] l = new int[max];
        int n = 0;
        int off = 0;
        while (off < length) {
            int run = Math.min(buffer.contiguousLength(off), length - off);
            a[n] = buffer.physicalAddress(off);
            l[n] = run;
            n++;
            off += run;
        }
        this.addresses = a;
        this.lengths = l;
        this.count = n;
    }

    @Override
    public int numberOfElements() {
        return count;
    }

    @Override
    public long physicalAddress(int element) {
        if (element < 0 || element >= count) {
            throw new IndexOutOfBoundsException("SG element " + element + " of " + count);
        }
        return addresses[element];
    }

    @Override
    public int length(int element) {
        if (element < 0 || element >= count) {
            throw new IndexOutOfBoundsException("SG element " + element + " of " + count);
        }
        return lengths[element];
    }
}
