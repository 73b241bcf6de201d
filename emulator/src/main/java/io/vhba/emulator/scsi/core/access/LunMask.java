package io.vhba.emulator.scsi.core.access;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The LUNs of a target one initiator may see (LUN masking): all of them, or a listed set. A LUN outside the mask
 * does not exist for that initiator: REPORT LUNS leaves it out and every command to it is answered as a command to a
 * missing LUN (SPC-4 3.1.74, "incorrect logical unit").
 */
public final class LunMask {
    /** Every LUN of the target. */
    public static final LunMask ALL = new LunMask(null);
    /** No LUN (an initiator refused by the list, for sessions that outlive a change of it). */
    public static final LunMask NONE = new LunMask(new TreeSet<>());

    private final SortedSet<Integer> luns;

    private LunMask(SortedSet<Integer> luns) {
        this.luns = luns;
    }

    public static LunMask of(Collection<Integer> luns) {
        return new LunMask(new TreeSet<>(luns));
    }

    public boolean includes(int lun) {
        return luns == null || luns.contains(lun);
    }

    public boolean isAll() {
        return luns == null;
    }

    /** The listed LUNs, or empty for {@link #ALL}. */
    public Optional<Set<Integer>> luns() {
        return luns == null ? Optional.empty() : Optional.of(java.util.Collections.unmodifiableSortedSet(luns));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LunMask m && java.util.Objects.equals(luns, m.luns);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hashCode(luns);
    }

    @Override
    public String toString() {
        return luns == null ? "all LUNs" : "LUNs " + luns;
    }
}
