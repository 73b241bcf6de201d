package io.vhba.samples.mailbox.hw;

import io.vhba.hw.InterruptSignal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An interrupt controller that records what the device signals, in order. */
public final class RecordingInterrupts implements InterruptSignal {
    private final List<String> events = new ArrayList<>();
    private final List<Integer> messages = new ArrayList<>();
    private final LinkedBlockingQueue<Integer> arrivals = new LinkedBlockingQueue<>();
    private boolean line;

    @Override
    public synchronized void signal(int messageId) {
        events.add("MSI " + messageId);
        messages.add(messageId);
        arrivals.add(messageId);
    }

    @Override
    public synchronized void assertLine() {
        events.add("ASSERT");
        line = true;
    }

    @Override
    public synchronized void deassertLine() {
        events.add("DEASSERT");
        line = false;
    }

    public synchronized List<String> events() {
        return List.copyOf(events);
    }

    public synchronized List<Integer> messages() {
        return List.copyOf(messages);
    }

    public synchronized boolean lineAsserted() {
        return line;
    }

    /** Takes and clears the messages signalled so far (what a platform would deliver next). */
    public synchronized List<Integer> drainMessages() {
        List<Integer> m = new ArrayList<>();
        arrivals.drainTo(m);
        return m;
    }

    /** Waits for the next message from a threaded controller; fails the test after 10 s instead of hanging. */
    public int awaitMessage() throws InterruptedException {
        Integer m = arrivals.poll(10, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no MSI-X message within 10 s");
        }
        return m;
    }
}
