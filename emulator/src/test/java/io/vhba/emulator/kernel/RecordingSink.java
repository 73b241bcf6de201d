package io.vhba.emulator.kernel;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A kernel sink for tests: records every violation with its parameters and the threads involved. */
public final class RecordingSink implements KernelViolationSink {

    /** One reported violation. */
    public record Violation(KernelRule rule, long p2, long p3, long p4, String detail, List<String> threads) {}

    public final List<Violation> violations = new CopyOnWriteArrayList<>();
    private final CountDownLatch first = new CountDownLatch(1);

    @Override
    public void violation(KernelRule rule, String detail) {
        violation(rule, 0, 0, 0, detail);
    }

    @Override
    public void violation(KernelRule rule, long p2, long p3, long p4, String detail, Thread... involved) {
        violations.add(new Violation(rule, p2, p3, p4, detail,
                Arrays.stream(involved).map(t -> t == null ? "-" : t.getName()).toList()));
        first.countDown();
    }

    /** Waits for the first violation; null if none came within the (generous) bound. */
    public Violation awaitFirst() throws InterruptedException {
        return first.await(10, TimeUnit.SECONDS) ? violations.get(0) : null;
    }

    public List<KernelRule> rules() {
        return violations.stream().map(Violation::rule).toList();
    }
}
