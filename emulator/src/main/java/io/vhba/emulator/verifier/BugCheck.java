package io.vhba.emulator.verifier;

import java.util.List;
import java.util.Map;

/**
 * A structured bug check, as a kernel debugger's {@code !analyze} would show it.
 *
 * @param code       the bug check code (0xF1)
 * @param rule       the rule broken; its sub-code is parameter 1
 * @param parameter2 rule-specific (usually the device extension's identity or the SRB's)
 * @param parameter3 rule-specific
 * @param parameter4 rule-specific
 * @param adapter    the adapter it happened on, or "-"
 * @param routine    the miniport routine running when it happened, or "-"
 * @param detail     one line saying what happened
 * @param stacks     the stacks of the threads involved, by thread name
 */
public record BugCheck(int code, VerifierRule rule, long parameter2, long parameter3, long parameter4,
                       String adapter, String routine, String detail, Map<String, List<String>> stacks) {

    public long parameter1() {
        return rule.subCode();
    }

    /** One line for logs: {@code BugCheck 0xF1 (0x2004, ...) DOUBLE_COMPLETION in HwStorStartIo: ...}. */
    public String summary() {
        return String.format("BugCheck 0x%X (0x%X, 0x%X, 0x%X, 0x%X) %s [%s] on %s in %s: %s", code, parameter1(),
                parameter2, parameter3, parameter4, rule, rule.sdvRule(), adapter, routine, detail);
    }
}
