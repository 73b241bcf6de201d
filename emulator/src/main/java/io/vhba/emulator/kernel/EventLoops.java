package io.vhba.emulator.kernel;

import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorChooserFactory;
import io.netty.util.concurrent.ThreadPerTaskExecutor;
import java.nio.channels.spi.SelectorProvider;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty side of the processors: one event loop per processor (epoll where available, NIO
 * otherwise), whose {@code next()} skips a processor the DPC watchdog declared hung, and one
 * acceptor loop that is not a processor, so driver code stuck on one cannot stop new logins.
 */
final class EventLoops {
    private static final Logger LOG = LoggerFactory.getLogger(Kernel.class);
    /** How long close waits for the processors to leave their loops before it gives up on a stuck one. */
    private static final long CLOSE_WAIT_MILLIS = 3000;

    private final List<KProcessor> processors;
    final boolean epoll = Epoll.isAvailable();
    final EventLoopGroup group;
    final EventLoopGroup acceptor;

    /** The loops of {@code processors}, in their order: executor i is processor i. */
    EventLoops(List<KProcessor> processors) {
        this.processors = processors;
        ThreadPerTaskExecutor threads = new ThreadPerTaskExecutor(r -> new ProcessorThread(null, r, "cpu-starting"));
        EventExecutorChooserFactory inService = InServiceChooser::new;
        int n = processors.size();
        this.group = epoll
                // epoll: poll a little before blocking, so the next command of a queue-depth-1 initiator finds the
                // processor awake (PollThenBlock)
                ? new EpollEventLoopGroup(n, threads, inService, PollThenBlock.factory())
                : new NioEventLoopGroup(n, threads, inService, SelectorProvider.provider(), DefaultSelectStrategyFactory.INSTANCE);
        ThreadFactory af = r -> {
            Thread t = new Thread(r, "iscsi-acceptor");
            t.setDaemon(true);
            return t;
        };
        this.acceptor = epoll ? new EpollEventLoopGroup(1, af) : new NioEventLoopGroup(1, af);
    }

    Class<? extends ServerChannel> serverChannelClass() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** Round robin over the processors in service; over all of them if none is (nothing better to offer). */
    private final class InServiceChooser implements EventExecutorChooserFactory.EventExecutorChooser {
        private final EventExecutor[] executors;
        private final AtomicInteger next = new AtomicInteger();

        InServiceChooser(EventExecutor[] executors) {
            this.executors = executors;
        }

        @Override
        public EventExecutor next() {
            int n = executors.length;
            for (int i = 0; i < n; i++) {
                int idx = Math.floorMod(next.getAndIncrement(), n);
                if (!processors.get(idx).hung) {
                    return executors[idx];
                }
            }
            return executors[Math.floorMod(next.getAndIncrement(), n)];
        }
    }

    /**
     * Stops the loops. A processor still in driver code (a DPC or start-up routine that never returns)
     * cannot be stopped: after {@link #CLOSE_WAIT_MILLIS} it is interrupted, which ends a routine that waits
     * interruptibly, and is otherwise abandoned with its stack logged, so that close always returns.
     */
    void close() {
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        if (!group.terminationFuture().awaitUninterruptibly(CLOSE_WAIT_MILLIS)) {
            for (KProcessor p : processors) {
                Thread t = p.thread();
                if (t != null && t.isAlive()) {
                    KThreadState st = KThreadState.of(t);
                    LOG.error("{} is still running {} at shutdown; interrupting it (a routine that never returns is "
                            + "abandoned):\n\tat {}", t.getName(), st == null || st.routine() == null ? "-" : st.routine(),
                            String.join("\n\tat ", Arrays.stream(t.getStackTrace()).map(String::valueOf).toList()));
                    t.interrupt();
                }
            }
            if (!group.terminationFuture().awaitUninterruptibly(1000)) {
                LOG.error("shutdown: abandoning the processor threads that do not return");
            }
        }
        acceptor.terminationFuture().awaitUninterruptibly(2000);
    }
}
