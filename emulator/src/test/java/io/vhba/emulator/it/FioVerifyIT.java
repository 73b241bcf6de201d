package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** fio through its libiscsi engine: random writes verified while running, and data checked across sessions. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FioVerifyIT {
    private TestTarget target;

    @BeforeEach
    void start() {
        Fio.binary();
        target = TestTarget.start("256M", 512);
    }

    @AfterEach
    void stop() {
        if (target != null) {
            target.close();
        }
    }

    @Test
    void randomWritesAtQueueDepth16VerifyWithCrc32c() {
        long doorbells = target.device().model().statistics().get("doorbells");
        Fio.Run r = Fio.run(120, target.url(), "--rw=randwrite", "--bs=4k", "--iodepth=16", "--size=128m",
                "--verify=crc32c", "--verify_backlog=2048", "--verify_fatal=1", "--time_based", "--runtime=15",
                "--randrepeat=0");
        assertThat(r.process().exitCode()).as(r.process().toString()).isZero();
        assertThat(r.error()).isZero();
        assertThat(r.writeBytes()).isGreaterThan(4L << 20);
        assertThat(r.readBytes()).as("the backlog verification read data back").isGreaterThan(1L << 20);
        long ios = (r.writeBytes() + r.readBytes()) / 4096;
        assertThat(target.device().model().statistics().get("doorbells") - doorbells)
                .as("every I/O rang the controller's doorbell").isGreaterThanOrEqualTo(ios);
    }

    @Test
    void dataWrittenByOneSessionVerifiesInAnother() {
        String[] job = {"--rw=write", "--bs=64k", "--iodepth=8", "--size=32m", "--verify=crc32c", "--verify_state_save=0"};
        Fio.Run write = Fio.run(120, target.url(), concat(job, "--do_verify=0"));
        assertThat(write.process().exitCode()).as(write.process().toString()).isZero();
        assertThat(write.writeBytes()).isEqualTo(32L << 20);

        Fio.Run verify = Fio.run(120, target.url(), concat(job, "--verify_only"));
        assertThat(verify.process().exitCode()).as(verify.process().toString()).isZero();
        assertThat(verify.readBytes()).isEqualTo(32L << 20);

        // Negative control: zero 1 MiB in the middle from a third session; the same check must now fail.
        Fio.Run zero = Fio.run(60, target.url(), "--rw=write", "--bs=64k", "--offset=16m", "--size=1m", "--zero_buffers");
        assertThat(zero.process().exitCode()).isZero();
        Fio.Run again = Fio.run(120, target.url(), concat(job, "--verify_only"));
        assertThat(again.process().exitCode()).isNotZero();
        assertThat(again.process().stderr() + again.process().stdout()).containsIgnoringCase("verify");
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
