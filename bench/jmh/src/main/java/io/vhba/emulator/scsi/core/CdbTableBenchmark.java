package io.vhba.emulator.scsi.core;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The target core's CDB parse: the {@link CdbTable} row of a CDB and the transfer length it implies. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CdbTableBenchmark {
    private final byte[] read16 = {(byte) 0x88, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 8, 0, 0};
    private final byte[] write10 = {0x2A, 0, 0, 0, 0x10, 0, 0, 0, 8, 0};

    /** READ(16) then WRITE(10): row lookup and transfer length in bytes, as {@code ScsiTargetCore.prepare} does. */
    @Benchmark
    public long cdbTableRowAndLength() {
        CdbTable.Row r = CdbTable.row(read16);
        CdbTable.Row w = CdbTable.row(write10);
        return r.length().bytes(read16, 512) + w.length().bytes(write10, 512) + r.direction().ordinal();
    }
}
