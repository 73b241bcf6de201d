package io.vhba.samples.common;

import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiLogicalUnit;
import io.vhba.hw.ScsiResult;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A logical unit that answers late: it keeps the {@code done} of the command it is started with
 * for the test to call (a SANITIZE without IMMED, held open by the unit), and refuses to be run
 * synchronously, since the controllers must start commands, not execute them.
 */
public final class LateUnit implements ScsiLogicalUnit {
    public final CompletableFuture<Consumer<ScsiResult>> pending = new CompletableFuture<>();

    @Override
    public ScsiResult execute(ScsiCommand command) {
        throw new AssertionError("the controller must start commands, not execute them");
    }

    @Override
    public void start(ScsiCommand command, Consumer<ScsiResult> done) {
        pending.complete(done);
    }
}
