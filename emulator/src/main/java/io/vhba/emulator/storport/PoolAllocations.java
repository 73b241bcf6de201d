package io.vhba.emulator.storport;

import io.vhba.emulator.kernel.Irql;
import io.vhba.emulator.kernel.KThreadState;
import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.platform.OutOfHostMemoryException;
import io.vhba.emulator.verifier.BugCheckException;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.StorStatus;
import io.vhba.miniport.SynchronizationModel;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code StorPortAllocatePool} / {@code StorPortFreePool}: non-paged pool from host memory,
 * tracked per adapter with its tag, as Driver Verifier's pool tracking does. Freeing what is
 * not (or no longer) allocated is POOL_DOUBLE_FREE (SDV StorPortAllocatePool); pool still held
 * when the adapter stops is POOL_LEAK (Driver Verifier's leak check on unload, bug check 0xC4/0x62
 * in Windows); allocating in half-duplex StartIo is HwStorPortProhibitedDDIs (STORPORT.md).
 */
final class PoolAllocations {
    /**
     * How many freed buffers are remembered to tell a double free from a foreign pointer. The oldest
     * record goes first; a double free of a buffer forgotten by then is still a POOL_DOUBLE_FREE, only
     * reported as "not allocated" (parameter 3 is 0). Without the cap the record grew with every free.
     */
    static final int FREED_RECORD_CAPACITY = 4096;

    private final Adapter a;
    private final Map<HostBuffer, Integer> allocated = new IdentityHashMap<>();
    /** Freed buffers, oldest first. HostBuffer keeps Object's identity equality, so this is an identity map too. */
    private final Map<HostBuffer, Integer> freed = new LinkedHashMap<>(64, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<HostBuffer, Integer> eldest) {
            if (size() <= FREED_RECORD_CAPACITY) {
                return false;
            }
            freedDropped++;
            PortMetrics.poolFreedRecordDropped(a.engine, a);
            return true;
        }
    };
    private long freedDropped;

    PoolAllocations(Adapter adapter) {
        this.a = adapter;
    }

    /** The buffer, or null for STOR_STATUS_INVALID_IRQL / INSUFFICIENT_RESOURCES / INVALID_PARAMETER. */
    MemoryBuffer allocate(int numberOfBytes, int tag) {
        String routine = KThreadState.current().routine();
        if (a.config != null && a.config.getSynchronizationMode() == SynchronizationModel.HALF_DUPLEX
                && routine != null && routine.endsWith("HwStorStartIo")) {
            a.verifyFailed(VerifierRule.PROHIBITED_IN_HALF_DUPLEX_START_IO, numberOfBytes, tag,
                    "StorPortAllocatePool in half-duplex HwStorStartIo (it runs at DIRQL)");
            return null;
        }
        if (a.kernel.currentIrql() > Irql.DISPATCH_LEVEL || numberOfBytes <= 0) {
            return null;
        }
        HostBuffer b;
        try {
            b = a.engine.hostMemory().allocate(numberOfBytes);
        } catch (OutOfHostMemoryException e) {
            return null;
        }
        synchronized (this) {
            allocated.put(b, tag);
            freed.remove(b);
        }
        PortMetrics.pool(a.engine, a, numberOfBytes);
        return b;
    }

    int free(MemoryBuffer buffer) {
        if (buffer == null) {
            return StorStatus.STOR_STATUS_INVALID_PARAMETER;
        }
        Integer tag;
        boolean twice;
        synchronized (this) {
            tag = buffer instanceof HostBuffer h ? allocated.remove(h) : null;
            twice = tag == null && buffer instanceof HostBuffer h && freed.containsKey(h);
            if (tag != null) {
                freed.put((HostBuffer) buffer, tag);
            }
        }
        if (tag == null) {
            a.verifyFailed(VerifierRule.POOL_DOUBLE_FREE, buffer.virtualAddress(), twice ? 1 : 0, String.format(
                    "StorPortFreePool(0x%X): %s", buffer.virtualAddress(),
                    twice ? "already freed" : "not allocated by StorPortAllocatePool for this adapter"));
            return StorStatus.STOR_STATUS_INVALID_PARAMETER;
        }
        PortMetrics.pool(a.engine, a, -buffer.length());
        ((HostBuffer) buffer).release();
        return StorStatus.STOR_STATUS_SUCCESS;
    }

    /** Freed buffers remembered now (at most {@link #FREED_RECORD_CAPACITY}). */
    synchronized int freedRecorded() {
        return freed.size();
    }

    /** Freed-buffer records dropped to keep the cap ({@code vhba.storport.pool.freed.dropped}). */
    synchronized long freedDropped() {
        return freedDropped;
    }

    /** Bytes the miniport holds now. */
    synchronized long bytesAllocated() {
        long n = 0;
        for (HostBuffer b : allocated.keySet()) {
            n += b.length();
        }
        return n;
    }

    /** Reports pool the miniport still holds; the memory goes back to the host either way. */
    void reportLeaksAtStop() {
        List<String> leaks = new ArrayList<>();
        long bytes = 0;
        synchronized (this) {
            for (Map.Entry<HostBuffer, Integer> e : allocated.entrySet()) {
                leaks.add(String.format("%d bytes tag '%s' at 0x%X", e.getKey().length(), tagString(e.getValue()),
                        e.getKey().virtualAddress()));
                bytes += e.getKey().length();
                e.getKey().release();
            }
            allocated.clear();
        }
        if (leaks.isEmpty()) {
            return;
        }
        try {
            a.verifyFailed(VerifierRule.POOL_LEAK, leaks.size(), bytes,
                    "adapter stopped holding " + leaks.size() + " pool allocation(s): " + String.join(", ", leaks));
        } catch (BugCheckException e) {
            // the adapter is already stopped; the finding is recorded
        }
    }

    /** A pool tag as Windows shows it: four characters, least significant byte first. */
    static String tagString(int tag) {
        StringBuilder s = new StringBuilder(4);
        for (int i = 0; i < 4; i++) {
            int c = (tag >>> (8 * i)) & 0xFF;
            s.append(c >= 0x20 && c < 0x7F ? (char) c : '.');
        }
        return s.toString();
    }
}
