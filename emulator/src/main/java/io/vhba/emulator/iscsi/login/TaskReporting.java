package io.vhba.emulator.iscsi.login;

import java.util.Collection;
import java.util.Optional;
import java.util.stream.Collectors;

/** The values of TaskReporting (RFC 7143 §13.23): how the target reports task completion around aborts. */
public enum TaskReporting {
    /** The RFC 3720 semantics; always offered by an originator (§13.23). */
    RFC3720("RFC3720"),
    /** RFC3720 plus the Response Fence semantics. */
    RESPONSE_FENCE("ResponseFence"),
    /** ResponseFence plus the multi-task abort (fast abort) semantics. */
    FAST_ABORT("FastAbort");

    private final String value;

    TaskReporting(String value) {
        this.value = value;
    }

    /** The text value on the wire. */
    public String value() {
        return value;
    }

    public static Optional<TaskReporting> of(String value) {
        for (TaskReporting reporting : values()) {
            if (reporting.value.equals(value)) {
                return Optional.of(reporting);
            }
        }
        return Optional.empty();
    }

    /** The values as a list-of-values, in enum order. */
    static String list(Collection<TaskReporting> values) {
        return values.stream().sorted().map(TaskReporting::value).collect(Collectors.joining(","));
    }
}
