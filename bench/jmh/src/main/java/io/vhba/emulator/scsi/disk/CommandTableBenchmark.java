package io.vhba.emulator.scsi.disk;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The disk's CDB parse: {@link CommandTable} lookup of the command and the check of its reserved bits. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CommandTableBenchmark {
    private final byte[] read16 = {(byte) 0x88, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 8, 0, 0};
    private final byte[] write10 = {0x2A, 0, 0, 0, 0x10, 0, 0, 0, 8, 0};
    private CommandTable table;

    @Setup
    public void setUp() {
        table = new CommandTable(DiskConfig.of("bench", "SN1", new DiskConfig.NaaIdentifier(0x564842, 1), 512, 1 << 21));
    }

    /** READ(16) then WRITE(10): find the command, validate the CDB. */
    @Benchmark
    public int commandTableLookupAndValidate() {
        DiskCommand r = table.lookup(read16);
        table.validate(r, read16);
        DiskCommand w = table.lookup(write10);
        table.validate(w, write10);
        return r.ordinal() + w.ordinal();
    }
}
