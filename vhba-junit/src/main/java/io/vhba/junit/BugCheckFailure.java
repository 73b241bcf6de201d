package io.vhba.junit;

import io.vhba.emulator.verifier.BugCheck;
import java.util.List;
import java.util.stream.Collectors;
import org.opentest4j.AssertionFailedError;

/**
 * A test failed because the Storport verifier raised a bug check while it ran: a miniport broke a
 * rule (STORPORT.md, "Verifier"), even if every I/O the test checked looked right. The message names
 * each bug check's code, parameters, rule, adapter and routine; {@link #bugChecks()} has the stacks.
 */
public final class BugCheckFailure extends AssertionFailedError {
    private static final long serialVersionUID = 1L;

    private final transient List<BugCheck> bugChecks;

    BugCheckFailure(String during, List<BugCheck> bugChecks) {
        super(message(during, bugChecks));
        this.bugChecks = List.copyOf(bugChecks);
    }

    private static String message(String during, List<BugCheck> bugChecks) {
        return "the Storport verifier raised " + bugChecks.size() + " bug check(s) " + during + ":\n"
                + bugChecks.stream().map(b -> "  " + b.summary()).collect(Collectors.joining("\n"))
                + "\n(a test that expects one builds its VhbaExtension with failOnBugCheck(false))";
    }

    /** The bug checks, oldest first. */
    public List<BugCheck> bugChecks() {
        return bugChecks;
    }
}
