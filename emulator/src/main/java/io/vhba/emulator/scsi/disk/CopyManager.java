package io.vhba.emulator.scsi.disk;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The copy manager side of one disk (SPC-4 6.4.1: the device server that receives EXTENDED COPY runs it): where it
 * finds copy targets, the results it holds, and its place in the order in which copies lock two units' ranges (a
 * copy locks the unit with the lower order first, so two copies in opposite directions never deadlock).
 */
final class CopyManager {

    private static final AtomicLong NEXT_ORDER = new AtomicLong();

    final long lockOrder = NEXT_ORDER.getAndIncrement();
    final HeldCopyResults results = new HeldCopyResults();
    volatile CopyTargets targets;

    CopyManager(CopyTargets self) {
        this.targets = self;
    }
}
