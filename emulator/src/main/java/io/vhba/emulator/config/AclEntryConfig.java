package io.vhba.emulator.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.vhba.emulator.scsi.core.access.AclRule;
import io.vhba.emulator.scsi.core.access.InitiatorPattern;
import io.vhba.emulator.scsi.core.access.LunMask;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One entry of a target's {@code acl:} list. A plain string allows that initiator (or {@code prefix*}) every LUN;
 * {@code {initiator: NAME, luns: [0, 2]}} allows it those LUNs only; {@code {deny: NAME}} refuses it whatever else
 * the list says.
 */
public record AclEntryConfig(String initiator, List<Integer> luns, String deny) {

    /** {@code - iqn.2026-12.test:host1} */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static AclEntryConfig of(String initiator) {
        return new AclEntryConfig(initiator, null, null);
    }

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public AclEntryConfig {
        luns = luns == null ? null : List.copyOf(luns);
    }

    void validate(String where, Set<Integer> targetLuns) {
        if ((initiator == null) == (deny == null)) {
            throw new ConfigException(where + ": give either initiator (with optional luns) or deny");
        }
        if (deny != null && luns != null) {
            throw new ConfigException(where + ".luns: a deny entry has no LUNs");
        }
        try {
            InitiatorPattern.parse(initiator != null ? initiator : deny);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + (initiator != null ? ".initiator: " : ".deny: ") + e.getMessage());
        }
        if (luns != null) {
            if (luns.isEmpty()) {
                throw new ConfigException(where + ".luns: an empty list; leave luns out to allow every LUN");
            }
            Set<Integer> seen = new HashSet<>();
            for (Integer lun : luns) {
                if (lun == null || !targetLuns.contains(lun)) {
                    throw new ConfigException(where + ".luns: " + lun + " is not a LUN of this target");
                }
                if (!seen.add(lun)) {
                    throw new ConfigException(where + ".luns: LUN " + lun + " is listed twice");
                }
            }
        }
    }

    /** The pattern this entry is about, as the access control list keys it. */
    InitiatorPattern pattern() {
        return InitiatorPattern.parse(initiator != null ? initiator : deny);
    }

    public AclRule rule() {
        if (deny != null) {
            return new AclRule.Deny(InitiatorPattern.parse(deny));
        }
        return new AclRule.Allow(InitiatorPattern.parse(initiator), luns == null ? LunMask.ALL : LunMask.of(luns));
    }
}
