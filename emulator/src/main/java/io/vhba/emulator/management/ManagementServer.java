package io.vhba.emulator.management;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.config.HttpConfig;
import io.vhba.emulator.runtime.Vhba;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management API's HTTP server: Netty's HTTP codec on one event loop thread of its own ({@code vhba-http}), so
 * a slow client never stalls a simulated processor; handlers that wait for the emulator (LUN add and remove, resize,
 * restart) run on two worker threads ({@code vhba-mgmt}) with a short queue, and a request they cannot take is
 * answered 503 at once. Bodies are capped at {@value #MAX_BODY} bytes (413 beyond).
 */
public final class ManagementServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
    /** The largest request body accepted. */
    public static final int MAX_BODY = 64 * 1024;
    /** How long a waiting handler may take before the client gets 503 (the change itself still ends on its own). */
    static final long HANDLER_TIMEOUT_MILLIS = 90_000;

    private final EventLoopGroup group;
    private final ExecutorService workers;
    private final Channel listener;
    private final String url;

    private ManagementServer(EventLoopGroup group, ExecutorService workers, Channel listener) {
        this.group = group;
        this.workers = workers;
        this.listener = listener;
        InetSocketAddress a = (InetSocketAddress) listener.localAddress();
        String host = a.getAddress().isAnyLocalAddress()
                ? (a.getAddress() instanceof java.net.Inet6Address ? "::1" : "127.0.0.1")
                : a.getAddress().getHostAddress();
        this.url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** Serves {@link ManagementApi} for {@code vhba}; the token comes from the file or {@code env}. */
    public static ManagementServer start(Vhba vhba, HttpConfig config, Function<String, String> env) {
        return start(ManagementApi.routes(vhba), ManagementSettings.resolve(config, env));
    }

    /** Serves {@code routes} as {@code settings} say. */
    public static ManagementServer start(RouteTable routes, ManagementSettings settings) {
        EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("vhba-http", true));
        ThreadPoolExecutor workers = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(16),
                new DefaultThreadFactory("vhba-mgmt", true), new ThreadPoolExecutor.AbortPolicy());
        try {
            ServerBootstrap b = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192), new HttpServerKeepAliveHandler(),
                                    new CappedAggregator(MAX_BODY), new HttpApiHandler(routes, settings.token(), workers));
                        }
                    });
            Channel ch = b.bind(new InetSocketAddress(settings.listen().host(), settings.listen().port()))
                    .syncUninterruptibly().channel();
            ManagementServer s = new ManagementServer(group, workers, ch);
            LOG.info("management API on {}{}", s.url, settings.token() == null ? "" : " (bearer token required)");
            return s;
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownNow();
            throw new ConfigException("http.listen " + settings.listen() + ": cannot listen: " + e.getMessage());
        }
    }

    /** {@code http://HOST:PORT} as bound (the port the OS picked for 0; a wildcard address as loopback). */
    public String url() {
        return url;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        workers.shutdownNow();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
