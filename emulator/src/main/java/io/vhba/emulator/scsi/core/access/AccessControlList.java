package io.vhba.emulator.scsi.core.access;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntPredicate;

/**
 * Which initiators may log in to one target, and which of its LUNs each sees (LIO's node ACLs with mapped LUNs).
 * Decided per initiator name, in this order:
 * <ol>
 *   <li>a matching {@link AclRule.Deny} refuses the initiator;</li>
 *   <li>with no {@link AclRule.Allow} rule at all, every other initiator gets every LUN (an open target);</li>
 *   <li>otherwise the most specific matching allow rule decides (an exact name before a prefix, a longer prefix
 *       before a shorter one), and an initiator no allow rule matches is refused.</li>
 * </ol>
 * At most one rule per pattern: allowing or denying a pattern again replaces its rule. Thread-safe; readers see a
 * snapshot, so a change takes effect for the next login and the next command, never halfway through either.
 */
public final class AccessControlList {

    private final IntPredicate lunExists;
    private volatile List<AclRule> rules = List.of();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** @param lunExists which LUN numbers the target has; a mask naming another is refused */
    public AccessControlList(IntPredicate lunExists) {
        this.lunExists = lunExists;
    }

    /** Allows {@code pattern} every LUN; returns the rule. */
    public AclRule allow(String pattern) {
        return put(new AclRule.Allow(parse(pattern), LunMask.ALL));
    }

    /**
     * Allows {@code pattern} the LUNs {@code luns} only (LUN masking).
     *
     * @throws IllegalArgumentException for a bad pattern, an empty list or a LUN the target does not have
     */
    public AclRule allow(String pattern, Collection<Integer> luns) {
        if (luns.isEmpty()) {
            throw new IllegalArgumentException("an empty LUN list; allow(pattern) allows every LUN");
        }
        for (int lun : luns) {
            if (!lunExists.test(lun)) {
                throw new IllegalArgumentException("LUN " + lun + " is not a LUN of this target");
            }
        }
        return put(new AclRule.Allow(parse(pattern), LunMask.of(luns)));
    }

    /** Refuses {@code pattern}, whatever an allow rule says; returns the rule. */
    public AclRule deny(String pattern) {
        return put(new AclRule.Deny(parse(pattern)));
    }

    /** Removes the rule of {@code pattern}, allow or deny; false when there was none. */
    public boolean revoke(String pattern) {
        InitiatorPattern p = parse(pattern);
        boolean removed;
        synchronized (this) {
            List<AclRule> next = new ArrayList<>(rules);
            removed = next.removeIf(r -> r.initiator().equals(p));
            rules = List.copyOf(next);
        }
        if (removed) {
            changed();
        }
        return removed;
    }

    /** Replaces every rule at once (the configuration's list, or a management API's PUT). */
    public void replace(Collection<AclRule> all) {
        List<AclRule> next = new ArrayList<>();
        for (AclRule r : all) {
            if (r instanceof AclRule.Allow a) {
                a.luns().luns().ifPresent(s -> s.forEach(lun -> {
                    if (!lunExists.test(lun)) {
                        throw new IllegalArgumentException("LUN " + lun + " is not a LUN of this target");
                    }
                }));
            }
            next.removeIf(o -> o.initiator().equals(r.initiator()));
            next.add(r);
        }
        synchronized (this) {
            rules = List.copyOf(next);
        }
        changed();
    }

    /** The rules, in the order they were first given. */
    public List<AclRule> list() {
        return rules;
    }

    /** True when no allow rule restricts who logs in (an open target, perhaps with some initiators denied). */
    public boolean isOpen() {
        return rules.stream().noneMatch(r -> r instanceof AclRule.Allow);
    }

    /** The LUNs {@code initiatorName} may see, or empty when it may not log in at all. */
    public Optional<LunMask> access(String initiatorName) {
        List<AclRule> snapshot = rules;
        if (snapshot.isEmpty()) {
            return Optional.of(LunMask.ALL);
        }
        AclRule.Allow best = null;
        boolean anyAllow = false;
        for (AclRule r : snapshot) {
            if (r instanceof AclRule.Deny d) {
                if (d.initiator().matches(initiatorName)) {
                    return Optional.empty();
                }
            } else if (r instanceof AclRule.Allow a) {
                anyAllow = true;
                if (a.initiator().matches(initiatorName)
                        && (best == null || a.initiator().specificity() > best.initiator().specificity())) {
                    best = a;
                }
            }
        }
        if (!anyAllow) {
            return Optional.of(LunMask.ALL);
        }
        return best == null ? Optional.empty() : Optional.of(best.luns());
    }

    /** Whether {@code initiatorName} may log in (RFC 7143 §11.13.5: otherwise 0x0202, authorization failure). */
    public boolean admits(String initiatorName) {
        return access(initiatorName).isPresent();
    }

    /** The LUNs {@code initiatorName} sees now; none when it is refused (its session predates the change). */
    public LunMask mask(String initiatorName) {
        return rules.isEmpty() ? LunMask.ALL : access(initiatorName).orElse(LunMask.NONE);
    }

    /** Runs {@code listener} after every change (the runtime raises REPORTED LUNS DATA HAS CHANGED). */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    private AclRule put(AclRule rule) {
        synchronized (this) {
            List<AclRule> next = new ArrayList<>(rules);
            int i = indexOf(next, rule.initiator());
            if (i >= 0) {
                next.set(i, rule);
            } else {
                next.add(rule);
            }
            rules = List.copyOf(next);
        }
        changed();
        return rule;
    }

    private static int indexOf(List<AclRule> l, InitiatorPattern p) {
        for (int i = 0; i < l.size(); i++) {
            if (l.get(i).initiator().equals(p)) {
                return i;
            }
        }
        return -1;
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }

    private static InitiatorPattern parse(String pattern) {
        return InitiatorPattern.parse(pattern);
    }

    @Override
    public String toString() {
        return rules.toString();
    }
}
