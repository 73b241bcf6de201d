package io.vhba.emulator.iscsi.login;

import java.util.List;
import java.util.Optional;

/**
 * How the responder computes its answer from the originator's offer and its own value (RFC 7143
 * §6.2.1-§6.2.2 and the "Result function" line of each key in §13). Offers and answers reaching these
 * functions are already valid for their key.
 */
public enum ResultFunction {
    /** Numerical: the lower of the two values. */
    MINIMUM {
        @Override
        Optional<String> respond(String offered, String ours) {
            return Optional.of(Long.toString(Math.min(number(offered), number(ours))));
        }

        @Override
        boolean isLegalAnswer(String ours, String answer) {
            return number(answer) <= number(ours);
        }
    },
    /** Numerical: the higher of the two values. */
    MAXIMUM {
        @Override
        Optional<String> respond(String offered, String ours) {
            return Optional.of(Long.toString(Math.max(number(offered), number(ours))));
        }

        @Override
        boolean isLegalAnswer(String ours, String answer) {
            return number(answer) >= number(ours);
        }
    },
    /** Boolean: Yes only if both are Yes. */
    AND {
        @Override
        Optional<String> respond(String offered, String ours) {
            return Optional.of(ValueSyntax.booleanValue(bool(offered) && bool(ours)));
        }

        @Override
        boolean isLegalAnswer(String ours, String answer) {
            return bool(ours) || !bool(answer);
        }
    },
    /** Boolean: Yes if either is Yes. */
    OR {
        @Override
        Optional<String> respond(String offered, String ours) {
            return Optional.of(ValueSyntax.booleanValue(bool(offered) || bool(ours)));
        }

        @Override
        boolean isLegalAnswer(String ours, String answer) {
            return !bool(ours) || bool(answer);
        }
    },
    /**
     * List: the first value of the originator's list, in its order of preference, that the responder
     * supports; values the responder does not know are skipped (§6.2.1). Empty when none is
     * supported, which the responder answers with "Reject".
     */
    LIST {
        @Override
        Optional<String> respond(String offered, String ours) {
            List<String> supported = list(ours);
            return list(offered).stream().filter(supported::contains).findFirst();
        }

        @Override
        boolean isLegalAnswer(String ours, String answer) {
            return list(ours).contains(answer);
        }
    },
    /** A declaration: the receiver takes note and sends no answer (§6.2). */
    DECLARATIVE,
    /** A request answered in the full feature phase, not negotiated (SendTargets, §13.3). */
    REQUEST,
    /** An authentication key (§12), answered by the security negotiation, not by a function. */
    AUTHENTICATION,
    /** A key obsoleted by RFC 7143 §13.25, always answered "Reject". */
    OBSOLETE;

    /** True for the functions that compute an answer from an offer. */
    public boolean isNegotiated() {
        return this == MINIMUM || this == MAXIMUM || this == AND || this == OR || this == LIST;
    }

    /** The responder's answer to {@code offered} given its own value; empty when nothing fits (LIST). */
    Optional<String> respond(String offered, String ours) {
        throw new UnsupportedOperationException(this + " computes no answer");
    }

    /** Whether {@code answer} is an answer the responder may give to our offer {@code ours}. */
    boolean isLegalAnswer(String ours, String answer) {
        throw new UnsupportedOperationException(this + " has no answers");
    }

    private static long number(String value) {
        return ValueSyntax.parseNumber(value).orElseThrow();
    }

    private static boolean bool(String value) {
        return ValueSyntax.parseBoolean(value).orElseThrow();
    }

    private static List<String> list(String value) {
        return ValueSyntax.parseList(value).orElseThrow();
    }
}
