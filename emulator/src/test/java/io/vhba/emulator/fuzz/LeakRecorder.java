package io.vhba.emulator.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Netty {@link ResourceLeakDetector} that also records every leak it reports, so a test can fail on
 * one instead of a line in a log nobody reads. Installed for the whole test JVM by the system property
 * {@code io.netty.customResourceLeakDetector=io.vhba.emulator.fuzz.LeakRecorder} (set in the emulator's
 * surefire and failsafe configuration), before any buffer class is loaded; with
 * {@code io.netty.leakDetection.level=paranoid} every buffer is tracked.
 *
 * <p>Netty finds a leak only after the garbage collector has cleared the leaked buffer, and reports it
 * on a later allocation; {@link #collect()} forces both.
 */
public final class LeakRecorder<T> extends ResourceLeakDetector<T> {

    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static volatile boolean installed;

    public LeakRecorder(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
        installed = true;
    }

    public LeakRecorder(Class<?> resourceType, int samplingInterval, long maxActive) {
        this(resourceType, samplingInterval);
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        LEAKS.add("LEAK: " + resourceType + records);
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        LEAKS.add("LEAK (untraced): " + resourceType);
        super.reportUntracedLeak(resourceType);
    }

    /** Whether Netty picked this detector up (the system property was set before Netty loaded). */
    public static boolean installed() {
        // Netty creates the ByteBuf detector when its buffer classes initialise.
        Unpooled.buffer(1).release();
        return installed;
    }

    /** Runs the collector and allocates, so that buffers dropped unreleased are reported now. */
    public static void collect() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            System.runFinalization();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            for (int i = 0; i < 64; i++) {
                ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(16);
                b.release();
                Unpooled.buffer(16).release();
            }
        }
    }

    /** The leaks reported so far. */
    public static List<String> leaks() {
        return new ArrayList<>(LEAKS);
    }

    /** Collects, then throws if any leak was reported; the message holds the first report with its access records. */
    public static void assertNoLeaks() {
        collect();
        List<String> l = leaks();
        if (!l.isEmpty()) {
            throw new AssertionError(l.size() + " ByteBuf leak(s) reported; the first:\n" + l.get(0));
        }
    }
}
