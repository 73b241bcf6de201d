package io.vhba.emulator.kernel;

import io.netty.util.concurrent.FastThreadLocalThread;

/** A simulated processor's thread; it also runs one Netty event loop. */
public final class ProcessorThread extends FastThreadLocalThread {
    private volatile KThreadState state;

    public ProcessorThread(ThreadGroup group, Runnable target, String name) {
        super(group, target, name);
        setDaemon(false);
    }

    KThreadState state() {
        return state;
    }

    void bind(KProcessor processor) {
        this.state = new KThreadState(processor);
    }
}
