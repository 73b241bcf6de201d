package io.vhba.emulator.scsi.core;

import io.vhba.miniport.scsi.AdditionalSense;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The unit attention conditions of one logical unit, queued per I_T nexus (SPC-4 5.14,
 * SAM-5 5.14). Each command reports and clears at most one; the same condition is not queued
 * twice for a nexus.
 */
final class UnitAttentions {
    private final Map<ItNexus, ArrayDeque<AdditionalSense>> pending = new HashMap<>();

    /** A new nexus sees POWER ON, RESET, OR BUS DEVICE RESET OCCURRED first, as after a power cycle. */
    synchronized void nexusJoined(ItNexus nexus) {
        ArrayDeque<AdditionalSense> q = new ArrayDeque<>();
        q.add(AdditionalSense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED);
        pending.put(nexus, q);
    }

    synchronized void nexusLeft(ItNexus nexus) {
        pending.remove(nexus);
    }

    synchronized void establish(ItNexus nexus, AdditionalSense condition) {
        ArrayDeque<AdditionalSense> q = pending.computeIfAbsent(nexus, n -> new ArrayDeque<>());
        if (!q.contains(condition)) {
            q.add(condition);
        }
    }

    /** Establishes {@code condition} for every known nexus except {@code except} (may be null). */
    synchronized void establishForAll(AdditionalSense condition, ItNexus except) {
        for (Map.Entry<ItNexus, ArrayDeque<AdditionalSense>> e : pending.entrySet()) {
            if (!e.getKey().equals(except) && !e.getValue().contains(condition)) {
                e.getValue().add(condition);
            }
        }
    }

    /** Registers the nexus without a condition (it is known, so later conditions reach it). */
    synchronized void ensureKnown(ItNexus nexus) {
        pending.computeIfAbsent(nexus, n -> new ArrayDeque<>());
    }

    /** The next condition for {@code nexus}, removed; null when none. */
    synchronized AdditionalSense take(ItNexus nexus) {
        ArrayDeque<AdditionalSense> q = pending.get(nexus);
        return q == null ? null : q.pollFirst();
    }

    synchronized AdditionalSense peek(ItNexus nexus) {
        ArrayDeque<AdditionalSense> q = pending.get(nexus);
        return q == null ? null : q.peekFirst();
    }

    /** Clears one specific condition (REPORT LUNS clears REPORTED LUNS DATA HAS CHANGED, SPC-4 6.33). */
    synchronized void clear(ItNexus nexus, AdditionalSense condition) {
        ArrayDeque<AdditionalSense> q = pending.get(nexus);
        if (q != null) {
            q.remove(condition);
        }
    }
}
