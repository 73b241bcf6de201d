package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.log4j.AppenderSkeleton;
import org.apache.log4j.Logger;
import org.apache.log4j.spi.LoggingEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vHBA target against the jSCSI 2.2 initiator (Maven Central), in-process on 127.0.0.1.
 *
 * <p>jSCSI 2.2 sends READ CAPACITY(10) as the first command of every session, inside
 * {@code Initiator.createSession}, and accepts nothing but Data-In in answer
 * ({@code CapacityResponseState}). The target gives every new I_T nexus the unit attention
 * POWER ON, RESET, OR BUS DEVICE RESET OCCURRED (29h/00h), which SAM-5 5.14 reports on the first
 * command other than INQUIRY or REPORT LUNS, so that READ CAPACITY ends in CHECK CONDITION and jSCSI
 * gives up the session. jSCSI has no way to send TEST UNIT READY (its CDB builders are READ(10),
 * WRITE(10) and READ CAPACITY(10) only) and no hook before that first command. The first test pins
 * that incompatibility; the second is the full interoperability scenario, which passes when the
 * target raises no unit attention for a new nexus.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JscsiInitiatorIT {
    private static final int BLOCK = 512;
    private static final long SIZE = 64L << 20;
    private static final Duration CALL_LIMIT = Duration.ofSeconds(20);

    /** One block, eight blocks at an odd LBA, 64 KiB, 512 KiB (one WRITE(10) answered by several R2Ts), the last block. */
    private static final List<Extent> EXTENTS = List.of(
            new Extent(0, 1), new Extent(4097, 8), new Extent(10_000, 128), new Extent(20_000, 1024),
            new Extent((int) (SIZE / BLOCK) - 1, 1));

    record Extent(int lba, int blocks) {
        int bytes() {
            return blocks * BLOCK;
        }

        byte[] pattern() {
            byte[] b = new byte[bytes()];
            new SplittableRandom(lba * 31L + blocks).nextBytes(b);
            return b;
        }

        /**
         * The SCSI commands jSCSI 2.2 splits one call into (FullFeaturePhase): READ(10)s of 64, then
         * 128, then 256 blocks at a time; WRITE(10)s of 1024, then 2048, then 4096, then 256 at a time.
         */
        int readCommands() {
            return commands(blocks, 64, 128, 256, 256);
        }

        int writeCommands() {
            return commands(blocks, 1024, 2048, 4096, 256);
        }

        private static int commands(int blocks, int first, int second, int third, int rest) {
            int n = 0;
            int left = blocks;
            for (int chunk : new int[] {first, second, third}) {
                if (left > 0) {
                    n++;
                    left -= Math.min(chunk, left);
                }
            }
            return n + (left + rest - 1) / rest;
        }
    }

    @BeforeAll
    static void quiet() {
        JscsiDisk.quietLogging();
    }

    /**
     * jSCSI's login succeeds, its READ CAPACITY(10) is answered by the SCSI target core with CHECK
     * CONDITION (the pending unit attention) before reaching the miniport, and jSCSI cannot go on:
     * {@code LinkFactory.getSession} logs the InternetSCSIException and returns null, on which
     * {@code Initiator.createSession} throws NullPointerException.
     */
    @Test
    void sessionSetupStopsAtThePowerOnUnitAttention(@TempDir Path dir) {
        try (TestTarget t = TestTarget.start("64M", BLOCK); LinkFactoryErrors errors = new LinkFactoryErrors()) {
            long completes = t.adapter().counters().requestCompletes();
            long interrupts = t.interruptsDelivered();
            String initiator = "iqn.2026-11.io.vhba.test:jscsi";
            JscsiConfigFiles files = JscsiConfigFiles.write(dir, initiator, "jscsi", TestTarget.IQN, "127.0.0.1", t.port());

            assertThatThrownBy(() -> JscsiDisk.open(files, CALL_LIMIT))
                    .isInstanceOf(IllegalStateException.class).hasCauseInstanceOf(NullPointerException.class);

            assertThat(errors.messages).singleElement().asString()
                    .contains("InternetSCSIException: SCSIResponseParser is not the expected type of PDU.");
            assertThat(t.vhba().sessions().sessions()).singleElement()
                    .satisfies(s -> assertThat(s.initiatorName()).isEqualTo(initiator));
            assertThat(t.adapter().counters().requestCompletes()).isEqualTo(completes);
            assertThat(t.interruptsDelivered()).isEqualTo(interrupts);
        }
    }

    /**
     * jSCSI 2.2 cannot take the power-on unit attention (see above), so this target is configured
     * with {@code unitAttentionOnLogin: false}, the switch that exists for such initiators.
     */
    @Test
    void dataWrittenThroughOneSessionReadsBackIdenticalThroughAnother(@TempDir Path dir) {
        try (TestTarget t = TestTarget.start("64M", BLOCK, false)) {
            long completes = t.adapter().counters().requestCompletes();
            long interrupts = t.interruptsDelivered();
            long dpcs = t.dpcsRun();
            JscsiConfigFiles writerFiles = JscsiConfigFiles.write(dir.resolve("writer"), "iqn.2026-11.io.vhba.test:jscsi-writer",
                    "jscsi-writer", TestTarget.IQN, "127.0.0.1", t.port());
            JscsiConfigFiles readerFiles = JscsiConfigFiles.write(dir.resolve("reader"), "iqn.2026-11.io.vhba.test:jscsi-reader",
                    "jscsi-reader", TestTarget.IQN, "127.0.0.1", t.port());
            int commands = 0;

            try (JscsiDisk writer = JscsiDisk.open(writerFiles, CALL_LIMIT)) {
                commands++; // READ CAPACITY(10) at login
                // READ CAPACITY(10) returns the LAST logical block address (SBC-4 5.16.2), and jSCSI keeps
                // it as its "capacity" without adding one: 64 MiB of 512-byte blocks reads as 131071.
                assertThat(writer.blockSize()).isEqualTo(BLOCK);
                assertThat(writer.capacity()).isEqualTo(SIZE / BLOCK - 1);
                for (Extent e : EXTENTS) {
                    writer.write(e.lba(), e.pattern());
                    assertThat(writer.read(e.lba(), e.bytes())).as("read back %s in the writing session", e).isEqualTo(e.pattern());
                    commands += e.writeCommands() + e.readCommands();
                }

                try (JscsiDisk reader = JscsiDisk.open(readerFiles, CALL_LIMIT)) {
                    commands++;
                    assertThat(reader.capacity()).isEqualTo(SIZE / BLOCK - 1);
                    for (Extent e : EXTENTS) {
                        assertThat(reader.read(e.lba(), e.bytes())).as("read %s in a second session", e).isEqualTo(e.pattern());
                        commands += e.readCommands();
                    }
                }
            }

            // Every command reached the miniport, completed through its ISR and a DPC.
            assertThat(t.adapter().counters().requestCompletes() - completes).isGreaterThanOrEqualTo(commands);
            assertThat(t.interruptsDelivered() - interrupts).isGreaterThanOrEqualTo(commands);
            assertThat(t.dpcsRun() - dpcs).isGreaterThanOrEqualTo(commands);
        }
    }

    /** Collects what jSCSI's LinkFactory logs at ERROR: the reason it dropped a session it could not set up. */
    private static final class LinkFactoryErrors extends AppenderSkeleton implements AutoCloseable {
        private static final Logger LOGGER = Logger.getLogger("org.jscsi.initiator.LinkFactory");
        final List<String> messages = new CopyOnWriteArrayList<>();

        LinkFactoryErrors() {
            LOGGER.addAppender(this);
        }

        @Override
        protected void append(LoggingEvent event) {
            messages.add(event.getRenderedMessage());
        }

        @Override
        public boolean requiresLayout() {
            return false;
        }

        @Override
        public void close() {
            LOGGER.removeAppender(this);
        }
    }
}
