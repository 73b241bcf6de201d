package io.vhba.emulator.scsi.core.access;

import java.util.Objects;

/** One line of a target's access control list. */
public sealed interface AclRule permits AclRule.Allow, AclRule.Deny {

    /** The initiators the rule is about. */
    InitiatorPattern initiator();

    /** The matching initiators may log in and see the LUNs of {@code luns}. */
    record Allow(InitiatorPattern initiator, LunMask luns) implements AclRule {
        public Allow {
            Objects.requireNonNull(initiator, "initiator");
            Objects.requireNonNull(luns, "luns");
        }

        @Override
        public String toString() {
            return "allow " + initiator + (luns.isAll() ? "" : " " + luns);
        }
    }

    /** The matching initiators may not log in, whatever an allow rule says. */
    record Deny(InitiatorPattern initiator) implements AclRule {
        public Deny {
            Objects.requireNonNull(initiator, "initiator");
        }

        @Override
        public String toString() {
            return "deny " + initiator;
        }
    }
}
