package io.vhba.emulator.storport;

import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.platform.HostMemory;
import java.util.ArrayList;
import java.util.List;

/**
 * Where SRB extensions (and the port's sense buffers) live: slices of physically contiguous
 * common buffer, as Storport carves them, so a miniport may build hardware descriptors (SG lists)
 * in an SRB extension and hand the device one physical address.
 */
final class SrbExtensionSlab {
    private static final int SLAB_BYTES = 1 << 20;

    private final HostMemory memory;
    private final int stride;
    private final List<HostBuffer> slabs = new ArrayList<>();
    private HostBuffer current;
    private int next;

    SrbExtensionSlab(HostMemory memory, int bytesPerSrb) {
        this.memory = memory;
        this.stride = (bytesPerSrb + 63) & ~63;
    }

    /** One SRB's share: the slab and the offset of the share in it. */
    record Share(HostBuffer slab, int offset, int length) {}

    synchronized Share take() {
        if (current == null || next + stride > current.length()) {
            current = memory.allocateContiguous(Math.max(SLAB_BYTES, stride));
            slabs.add(current);
            next = 0;
        }
        Share s = new Share(current, next, stride);
        next += stride;
        return s;
    }

    synchronized void free() {
        for (HostBuffer b : slabs) {
            b.release();
        }
        slabs.clear();
        current = null;
    }
}
