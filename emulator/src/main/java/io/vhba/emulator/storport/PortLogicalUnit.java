package io.vhba.emulator.storport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A logical unit as the port sees it: its address, the miniport's per-LU extension, the
 * queue of requests waiting for it, and the ones the miniport owns (the active list).
 * Guarded by its own monitor, held only for queue bookkeeping, never across a call into the
 * miniport.
 */
public final class PortLogicalUnit {
    /** Storport's default per-LU queue depth. */
    public static final int DEFAULT_QUEUE_DEPTH = 255;

    private final Adapter adapter;
    private final int pathId;
    private final int targetId;
    private final int lun;
    private final Object luExtension;
    private final ArrayDeque<EngineSrb> pending = new ArrayDeque<>();
    private EngineSrb activeHead;
    private int outstanding;
    private int queueDepth;
    private volatile boolean inquirySeen;
    private boolean paused;
    private volatile int peripheralDeviceType = -1;
    /** StorPortPauseDevice / StorPortDeviceBusy. */
    final UnitHolds holds = new UnitHolds(this);
    /** Device latency; registered once the bus scan has found the unit (not for every address it probes). */
    volatile StorportMetrics.UnitMeters meters = StorportMetrics.UnitMeters.NONE;

    PortLogicalUnit(Adapter adapter, int pathId, int targetId, int lun, Object luExtension, int queueDepth) {
        this.adapter = adapter;
        this.pathId = pathId;
        this.targetId = targetId;
        this.lun = lun;
        this.luExtension = luExtension;
        this.queueDepth = queueDepth;
    }

    public Adapter adapter() {
        return adapter;
    }

    public int pathId() {
        return pathId;
    }

    public int targetId() {
        return targetId;
    }

    public int lun() {
        return lun;
    }

    /** The LU's queue on the timeline: "adapter LUN p:t:l", built once. */
    String traceName;

    public String address() {
        return pathId + ":" + targetId + ":" + lun;
    }

    Object luExtension() {
        return luExtension;
    }

    public boolean inquirySeen() {
        return inquirySeen;
    }

    void markInquirySeen(int peripheralType) {
        this.peripheralDeviceType = peripheralType;
        if (!inquirySeen) {
            meters = adapter.meters.unit(this);
        }
        this.inquirySeen = true;
    }

    /** The peripheral device type from the bus scan's INQUIRY, or -1. */
    public int peripheralDeviceType() {
        return peripheralDeviceType;
    }

    public synchronized int queueDepth() {
        return queueDepth;
    }

    synchronized void setQueueDepth(int depth) {
        queueDepth = depth;
    }

    public synchronized int outstanding() {
        return outstanding;
    }

    public synchronized int pendingCount() {
        return pending.size();
    }

    synchronized void setPaused(boolean p) {
        paused = p;
    }

    /** Admits {@code srb} at once (true) or queues it (false). */
    synchronized boolean admitOrQueue(EngineSrb srb, boolean adapterCanStart) {
        if (adapterCanStart && !paused && !holds.blocks() && outstanding < queueDepth && pending.isEmpty()) {
            activate(srb);
            return true;
        }
        srb.state = SrbState.QUEUED;
        pending.addLast(srb);
        return false;
    }

    /** Puts a BUSY request back at the head of the queue. */
    synchronized void requeueFirst(EngineSrb srb) {
        srb.state = SrbState.QUEUED;
        pending.addFirst(srb);
    }

    /** Takes the next queued request if the unit may start one; null otherwise. */
    synchronized EngineSrb nextToStart(boolean adapterCanStart) {
        if (!adapterCanStart || paused || holds.blocks() || outstanding >= queueDepth || pending.isEmpty()) {
            return null;
        }
        EngineSrb s = pending.pollFirst();
        activate(s);
        return s;
    }

    private void activate(EngineSrb srb) {
        outstanding++;
        srb.activePrev = null;
        srb.activeNext = activeHead;
        if (activeHead != null) {
            activeHead.activePrev = srb;
        }
        activeHead = srb;
        srb.state = SrbState.MINIPORT;
    }

    /** Removes a completed request from the active list. */
    synchronized void deactivate(EngineSrb srb) {
        if (srb.activePrev != null) {
            srb.activePrev.activeNext = srb.activeNext;
        } else if (activeHead == srb) {
            activeHead = srb.activeNext;
        }
        if (srb.activeNext != null) {
            srb.activeNext.activePrev = srb.activePrev;
        }
        srb.activePrev = null;
        srb.activeNext = null;
        outstanding--;
    }

    /** Whether {@code srb} is among the requests the miniport owns. */
    synchronized boolean isActive(EngineSrb srb) {
        for (EngineSrb s = activeHead; s != null; s = s.activeNext) {
            if (s == srb) {
                return true;
            }
        }
        return false;
    }

    /** Removes and returns every queued (not yet started) request. */
    synchronized List<EngineSrb> drainPending() {
        List<EngineSrb> l = new ArrayList<>(pending);
        pending.clear();
        return l;
    }

    /** Removes {@code srb} from the queue if it has not started; true if it was there. */
    synchronized boolean removePending(EngineSrb srb) {
        return pending.remove(srb);
    }

    /** A snapshot of the active requests. */
    synchronized List<EngineSrb> activeRequests() {
        List<EngineSrb> l = new ArrayList<>();
        for (EngineSrb s = activeHead; s != null; s = s.activeNext) {
            l.add(s);
        }
        return l;
    }

    @Override
    public String toString() {
        return "LU " + address() + " of " + adapter;
    }
}
