package io.vhba.emulator.platform;

import io.vhba.emulator.kernel.KInterrupt;
import io.vhba.emulator.kernel.Kernel;
import io.vhba.hw.InterruptSignal;
import java.util.concurrent.atomic.LongAdder;

/**
 * Routes a device's interrupt signals to the kernel interrupt objects the port connected
 * ({@code IoConnectInterruptEx}). A signal before connection, or on a message that was not
 * connected, is lost and counted, as on a real bus. An {@link InterruptInterceptor} may drop or
 * delay signals (fault injection).
 */
public final class DeviceInterrupts implements InterruptSignal {
    private final Kernel kernel;
    private volatile KInterrupt[] messages = new KInterrupt[0];
    private volatile KInterrupt line;
    private final LongAdder lost = new LongAdder();
    private volatile InterruptInterceptor interceptor = InterruptInterceptor.NONE;

    public DeviceInterrupts(Kernel kernel) {
        this.kernel = kernel;
    }

    public void connect(KInterrupt[] messageInterrupts, KInterrupt lineInterrupt) {
        this.messages = messageInterrupts.clone();
        this.line = lineInterrupt;
    }

    public void disconnect() {
        this.messages = new KInterrupt[0];
        this.line = null;
    }

    public void setInterceptor(InterruptInterceptor interceptor) {
        this.interceptor = interceptor == null ? InterruptInterceptor.NONE : interceptor;
    }

    /** Signals that reached no connected interrupt (or were dropped by fault injection). */
    public long lostSignals() {
        return lost.sum();
    }

    /** The connected message interrupts (for statistics). */
    public KInterrupt[] messageInterrupts() {
        return messages.clone();
    }

    public KInterrupt lineInterrupt() {
        return line;
    }

    @Override
    public void signal(int messageId) {
        KInterrupt[] ms = messages;
        if (messageId < 0 || messageId >= ms.length || ms[messageId] == null) {
            lost.increment();
            return;
        }
        KInterrupt ki = ms[messageId];
        if (!interceptor.deliver(messageId, () -> kernel.signal(ki))) {
            lost.increment();
        }
    }

    @Override
    public void assertLine() {
        KInterrupt l = line;
        if (l == null) {
            lost.increment();
            return;
        }
        if (!interceptor.deliver(-1, () -> kernel.assertLine(l))) {
            lost.increment();
        }
    }

    @Override
    public void deassertLine() {
        KInterrupt l = line;
        if (l != null) {
            kernel.deassertLine(l);
        }
    }
}
