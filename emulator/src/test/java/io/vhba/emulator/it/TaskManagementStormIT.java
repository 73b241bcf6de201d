package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.iscsi.pdu.DataIn;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import io.vhba.emulator.iscsi.pdu.Pdu;
import io.vhba.emulator.iscsi.pdu.ScsiCommand;
import io.vhba.emulator.iscsi.pdu.ScsiResponse;
import io.vhba.emulator.iscsi.pdu.TaskManagementRequest;
import io.vhba.emulator.iscsi.pdu.TaskManagementResponse;
import io.vhba.emulator.storport.PortLogicalUnit;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Aborts and LUN resets in a loop while fio verifies data on the same adapter. fio writes and
 * verifies LUN 0; a second session, speaking iSCSI on the wire, keeps eight READs in flight on
 * LUN 1 of the same target (same adapter, same miniport, same processors) and fires ABORT TASK
 * at one of them each round and LOGICAL UNIT RESET every fifth round. Every command is accounted
 * for: answered exactly once, or covered by an abort or reset whose response came first and
 * never answered afterwards (RFC 7143 §11.5.1, SAM-5 7.2). Afterwards the engine, the host
 * memory and the thread count are back at their idle values.
 *
 * <p>Resets go to LUN 1, not to fio's LUN: a LUN reset ends every task on its LUN, from every
 * nexus, with TASK ABORTED (TAS=1), so fio on that LUN would rightly see errors.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TaskManagementStormIT {
    private static final String INITIATOR = "iqn.2026-11.io.vhba.test:storm";
    private static final long LUN1 = 0x0001_0000_0000_0000L; // peripheral device addressing, LUN 1 (SAM-5 4.7.7)
    private static final int IN_FLIGHT = 8;
    private static final int BLOCKS = 128;
    private static final int STORM_SECONDS = Integer.getInteger("vhba.storm.seconds", 15);

    @Test
    void fioKeepsVerifyingWhileAbortsAndResetsHitTheSameAdapterAndNothingLeaks() throws Exception {
        Fio.binary();
        try (TestTarget target = TestTarget.start(new VhbaConfig(List.of("127.0.0.1:0"), 2, "512M", "mailbox",
                // A threaded controller with 500 us per command, so an ABORT TASK finds its victim still in the hardware.
                new ControllerConfig("threaded", 500L, null), 30, true, null, 0, null,
                List.of(new TargetConfig(TestTarget.IQN, "storm", null, List.of(
                        new LunConfig(0, "128M", 512, false, true, false, null),
                        new LunConfig(1, "64M", 512, false, true, false, null))))))) {
            String lun0 = target.url();
            assertThat(lun0).endsWith("/0");
            // Idle values, after one warm-up session so lazily started threads exist already.
            Fio.Run warm = Fio.run(60, lun0, "--rw=read", "--bs=4k", "--size=1m");
            assertThat(warm.process().exitCode()).as(warm.process().toString()).isZero();
            Idle idle = Idle.of(target);

            long resetsBefore = target.adapter().counters().lunResets();
            CompletableFuture<Fio.Run> fio = CompletableFuture.supplyAsync(() -> Fio.run(STORM_SECONDS + 120, lun0,
                    "--rw=randwrite", "--bs=4k", "--iodepth=32", "--size=96m", "--verify=crc32c", "--verify_backlog=2048",
                    "--verify_fatal=1", "--time_based", "--runtime=" + STORM_SECONDS, "--randrepeat=0"));
            Storm storm = new Storm(target.port());
            storm.run(STORM_SECONDS);

            Fio.Run r = fio.get(STORM_SECONDS + 150L, TimeUnit.SECONDS);
            assertThat(r.process().exitCode()).as(r.process().toString()).isZero();
            assertThat(r.error()).isZero();
            assertThat(r.writeBytes()).isGreaterThan(4L << 20);
            assertThat(r.readBytes()).as("fio verified data while the storm ran").isGreaterThan(1L << 20);

            assertThat(storm.rounds).as("storm rounds").isGreaterThan(20);
            assertThat(storm.answered + storm.aborted).as("every READ answered or aborted").isEqualTo(storm.sent);
            assertThat(storm.aborted).as("some READs were really aborted").isPositive();
            assertThat(storm.answered).as("some READs completed").isPositive();
            assertThat(storm.resets).isPositive();
            assertThat(target.adapter().counters().lunResets() - resetsBefore)
                    .as("each LOGICAL UNIT RESET reached the miniport as SRB_FUNCTION_RESET_LOGICAL_UNIT")
                    .isEqualTo(storm.resets);

            System.out.printf("storm %d s: %d rounds, %d READs sent, %d answered, %d aborted, %d LUN resets; "
                    + "fio wrote %d MiB and verified %d MiB%n", STORM_SECONDS, storm.rounds, storm.sent, storm.answered,
                    storm.aborted, storm.resets, r.writeBytes() >> 20, r.readBytes() >> 20);
            Idle after = Idle.await(target, idle, 20);
            assertThat(after).as("engine, host memory and threads back at idle").isEqualTo(idle);
        }
    }

    /** What must return to its idle value: SRBs the miniport holds, host memory pages, live threads. */
    record Idle(int outstandingSrbs, long hostPages, int threads) {
        static Idle of(TestTarget t) {
            int outstanding = t.adapter().logicalUnits().stream().mapToInt(PortLogicalUnit::outstanding).sum();
            return new Idle(outstanding, t.vhba().engine().hostMemory().allocatedPages(),
                    ManagementFactory.getThreadMXBean().getThreadCount());
        }

        static Idle await(TestTarget t, Idle expected, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            Idle now = of(t);
            while (!now.equals(expected) && System.nanoTime() < deadline) {
                Thread.sleep(100);
                now = of(t);
            }
            return now;
        }
    }

    /** The second initiator: READs on LUN 1 with ABORT TASK and LOGICAL UNIT RESET among them. */
    private static final class Storm {
        private final int port;
        private final Random random = new Random(7143);
        int sent;
        int answered;
        int aborted;
        int resets;
        int rounds;

        Storm(int port) {
            this.port = port;
        }

        void run(int seconds) throws Exception {
            try (WireInitiator w = new WireInitiator(port)) {
                LoginResponse login = w.login(INITIATOR, TestTarget.IQN);
                assertThat(login.statusClass()).isZero();
                login.release();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
                while (System.nanoTime() < deadline && rounds < 1000 * seconds) { // bounded in time and count
                    round(w, rounds % 5 == 4);
                    rounds++;
                }
            }
        }

        private void round(WireInitiator w, boolean reset) throws Exception {
            Map<Integer, Integer> cmdSnOf = new HashMap<>();
            Set<Integer> open = new HashSet<>();
            for (int i = 0; i < IN_FLIGHT; i++) {
                int itt = w.nextItt();
                int cmdSn = w.nextCmdSn();
                long lba = random.nextInt(64 * 2048 - BLOCKS);
                byte[] cdb = {0x28, 0, (byte) (lba >>> 24), (byte) (lba >>> 16), (byte) (lba >>> 8), (byte) lba, 0, 0, (byte) BLOCKS, 0};
                w.send(new ScsiCommand(false, true, true, false, 1, LUN1, itt, BLOCKS * 512, cmdSn, 0, cdb, -1, Unpooled.EMPTY_BUFFER));
                cmdSnOf.put(itt, cmdSn);
                open.add(itt);
                sent++;
            }
            int victim = List.copyOf(open).get(random.nextInt(open.size()));
            int abortItt = w.nextItt();
            w.send(new TaskManagementRequest(true, 1, LUN1, abortItt, victim, w.cmdSn(), 0, cmdSnOf.get(victim), 0));
            Map<Integer, Set<Integer>> coveredBy = new HashMap<>();
            coveredBy.put(abortItt, Set.of(victim));
            Integer resetItt = null;
            if (reset) {
                resetItt = w.nextItt();
                w.send(new TaskManagementRequest(true, 5, LUN1, resetItt, -1, w.cmdSn(), 0, 0, 0));
                coveredBy.put(resetItt, Set.copyOf(open));
                resets++;
            }
            Set<Integer> closed = new HashSet<>();
            while (!open.isEmpty() || !coveredBy.isEmpty()) {
                Object pdu = w.receive();
                assertThat(pdu).as("the target closed the storm's connection").isNotNull();
                try {
                    if (pdu instanceof ScsiResponse sr) {
                        answer(sr.itt(), open, closed);
                    } else if (pdu instanceof DataIn di && di.statusPresent()) {
                        answer(di.itt(), open, closed);
                    } else if (pdu instanceof TaskManagementResponse tr) {
                        Set<Integer> covered = coveredBy.remove(tr.itt());
                        assertThat(covered).as("a TMF response for an ITT we sent: 0x%08x", tr.itt()).isNotNull();
                        // FUNCTION COMPLETE (0) or, for an ABORT TASK that lost the race, TASK DOES NOT EXIST (1).
                        assertThat(tr.response()).as("TMF response code").isIn(0, 1);
                        for (int itt : covered) {
                            if (open.remove(itt)) {
                                closed.add(itt);
                                aborted++;
                            }
                        }
                    }
                } finally {
                    // Each PDU holds a slice of the decoder's buffer: unreleased, every cumulation buffer
                    // would stay alive (6 GB of direct memory in a 60 s storm)
                    if (pdu instanceof Pdu p) {
                        p.release();
                    }
                }
            }
            assertThat(resetItt == null || !coveredBy.containsKey(resetItt)).isTrue();
        }

        private void answer(int itt, Set<Integer> open, Set<Integer> closed) {
            assertThat(closed).as("ITT 0x%08x answered after the TMF that aborted it", itt).doesNotContain(itt);
            assertThat(open.remove(itt)).as("ITT 0x%08x answered exactly once", itt).isTrue();
            answered++;
        }
    }
}
