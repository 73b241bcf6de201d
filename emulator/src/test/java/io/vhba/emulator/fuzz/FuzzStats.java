package io.vhba.emulator.fuzz;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a fuzzer did, printed at its end (bench/fuzz.sh reads the line): PDUs sent, connections opened,
 * hangs and leaks found. A hang or a leak also fails the input that caused it.
 */
final class FuzzStats {
    final String name;
    final AtomicLong executions = new AtomicLong();
    final AtomicLong pdus = new AtomicLong();
    final AtomicLong connections = new AtomicLong();
    final AtomicLong logins = new AtomicLong();
    private final long started = System.nanoTime();
    /** Stop after this many PDUs (system property vhba.fuzz.maxPdus), for bench/fuzz.sh's COUNT. */
    private final long maxPdus = Long.getLong("vhba.fuzz.maxPdus", Long.MAX_VALUE);

    FuzzStats(String name) {
        this.name = name;
    }

    /** Whether the PDU budget of this run is spent; the fuzzer then ends the process. */
    boolean budgetSpent() {
        return pdus.get() >= maxPdus;
    }

    /** The end of a JUnit fuzz test (@AfterAll): the line, then no Netty leak may have been reported. */
    void endOfTest() {
        System.err.println(line());
        LeakRecorder.assertNoLeaks();
    }

    /** The end of a standalone Jazzer run (fuzzerTearDown): leak reports collected, then the line. */
    void endOfRun() {
        LeakRecorder.collect();
        System.err.println(line());
    }

    String line() {
        double seconds = (System.nanoTime() - started) / 1e9;
        return String.format("VHBA-FUZZ %s executions=%d pdus=%d connections=%d logins=%d seconds=%.1f leaks=%d",
                name, executions.get(), pdus.get(), connections.get(), logins.get(), seconds,
                LeakRecorder.leaks().size());
    }

    /**
     * Ends a Jazzer run of bench/fuzz.sh whose PDU budget is spent: checks for leaks, prints the line, and
     * interrupts the process as Ctrl-C would (libFuzzer has no PDU budget). Whichever signal handler runs first
     * ends the process: libFuzzer's ("run interrupted", exit code 72) or the JVM's, which libFuzzer then reports as
     * "fuzz target exited" (exit code 77, with an artifact). bench/fuzz.sh takes either as the end of the budget
     * when this method's marker line precedes it.
     */
    void finishIfBudgetSpent() {
        if (!budgetSpent() || !STOPPING.compareAndSet(false, true)) {
            return;
        }
        LeakRecorder.collect();
        System.err.println(line());
        // bench/fuzz.sh reads this: the exit that follows (72 or 77) is the budget's end, not a crash
        System.err.println("VHBA-FUZZ budget spent");
        System.err.flush();
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(ProcessHandle.current().pid())).inheritIO().start();
            Thread.sleep(60_000);
        } catch (Exception e) {
            // fall through to halt
        }
        Runtime.getRuntime().halt(LeakRecorder.leaks().isEmpty() ? 0 : 3);
    }

    private static final java.util.concurrent.atomic.AtomicBoolean STOPPING = new java.util.concurrent.atomic.AtomicBoolean();
}
