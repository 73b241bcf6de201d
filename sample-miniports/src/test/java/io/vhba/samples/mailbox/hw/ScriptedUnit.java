package io.vhba.samples.mailbox.hw;

import io.vhba.hw.DataDirection;
import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiLogicalUnit;
import io.vhba.hw.ScsiResult;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** A logical unit whose answer each test scripts, recording every command it sees. */
public final class ScriptedUnit implements ScsiLogicalUnit {

    /** What the unit saw: the meaningful CDB bytes, the direction, the buffer length, the task attribute. */
    public record Seen(byte[] cdb, DataDirection direction, int bufferLength, int taskAttribute) {}

    private final List<Seen> seen = new ArrayList<>();
    private volatile Function<ScsiCommand, ScsiResult> behaviour = c -> ScsiResult.good(0);

    public ScriptedUnit answer(Function<ScsiCommand, ScsiResult> b) {
        this.behaviour = b;
        return this;
    }

    @Override
    public ScsiResult execute(ScsiCommand command) {
        synchronized (this) {
            seen.add(new Seen(Arrays.copyOf(command.cdb(), command.cdbLength()), command.direction(),
                    command.data().length(), command.taskAttribute()));
        }
        return behaviour.apply(command);
    }

    public synchronized List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** Data-In of {@code n} bytes of {@link #pattern} in one transfer. */
    public static Function<ScsiCommand, ScsiResult> readPattern(int n, int seed) {
        return c -> {
            c.data().writeDataIn(0, ByteBuffer.wrap(pattern(n, seed)));
            return ScsiResult.good(n);
        };
    }

    /** Deterministic test bytes. */
    public static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed + (i >>> 8));
        }
        return b;
    }
}
