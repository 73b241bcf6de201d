package io.vhba.emulator.iscsi;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalServerChannel;
import io.vhba.emulator.config.Portal;
import io.vhba.emulator.iscsi.codec.IscsiPduDecoder;
import io.vhba.emulator.iscsi.codec.IscsiPduEncoder;
import io.vhba.emulator.iscsi.codec.PduOrigin;
import io.vhba.emulator.iscsi.session.IscsiConnectionHandler;
import io.vhba.emulator.iscsi.session.PortalContext;
import io.vhba.emulator.kernel.Kernel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The iSCSI portals: a Netty server on the simulated processors' own event loops, so that a
 * command is read, issued to the miniport, completed and answered on one thread (ARCHITECTURE.md,
 * "Threads and speed"). Each connection's pipeline is decoder, encoder, connection handler. The
 * same portal can also be served on an in-VM address ({@link #bindInVm}) for in-process fuzzing.
 */
public final class IscsiServer implements AutoCloseable {
    private final List<Channel> listeners;
    private final Kernel kernel;
    private final PortalContext context;

    /** The I/O loop of a deterministic run's sockets (its own), or null. */
    private final io.netty.channel.EventLoopGroup ioGroup;

    private IscsiServer(List<Channel> listeners, Kernel kernel, PortalContext context, io.netty.channel.EventLoopGroup ioGroup) {
        this.listeners = listeners;
        this.kernel = kernel;
        this.context = context;
        this.ioGroup = ioGroup;
    }

    /** Decoder, encoder, connection handler: every connection's pipeline, on a socket or in-VM. */
    private static ChannelInitializer<Channel> pipeline(PortalContext context) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new IscsiPduDecoder(PduOrigin.INITIATOR), new IscsiPduEncoder(),
                        new IscsiConnectionHandler(context));
            }
        };
    }

    /** The write buffer a connection may fill before its handler stops reading it ({@code connectionWriteBuffer}). */
    private static WriteBufferWaterMark waterMark(PortalContext context) {
        return new WriteBufferWaterMark(context.limits().writeBufferBytes() / 2, context.limits().writeBufferBytes());
    }

    /**
     * The portals of a live deterministic run: the sockets on one real I/O loop of their own ({@code iscsi-io}) with
     * only {@code bridge} in their pipeline; the iSCSI pipeline itself runs in the simulation
     * ({@link io.vhba.emulator.iscsi.sim.LiveNetwork}).
     */
    public static IscsiServer bindBridged(List<Portal> portals, java.util.function.Supplier<io.netty.channel.ChannelHandler> bridge) {
        boolean epoll = io.netty.channel.epoll.Epoll.isAvailable();
        java.util.concurrent.ThreadFactory tf = r -> {
            Thread t = new Thread(r, "iscsi-io");
            t.setDaemon(true);
            return t;
        };
        io.netty.channel.EventLoopGroup io = epoll ? new io.netty.channel.epoll.EpollEventLoopGroup(1, tf)
                : new io.netty.channel.nio.NioEventLoopGroup(1, tf);
        ServerBootstrap b = new ServerBootstrap()
                .group(io, io)
                .channel(epoll ? io.netty.channel.epoll.EpollServerSocketChannel.class
                        : io.netty.channel.socket.nio.NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 128)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(bridge.get());
                    }
                });
        List<Channel> bound = new ArrayList<>();
        try {
            for (Portal p : portals) {
                bound.add(b.bind(new InetSocketAddress(p.host(), p.port())).syncUninterruptibly().channel());
            }
        } catch (RuntimeException e) {
            bound.forEach(Channel::close);
            io.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
            throw e;
        }
        return new IscsiServer(new ArrayList<>(bound), null, null, io);
    }

    public static IscsiServer bind(Kernel kernel, PortalContext context, List<Portal> portals) {
        ServerBootstrap b = new ServerBootstrap()
                .group(kernel.acceptorGroup(), kernel.eventLoopGroup())
                .channel(kernel.serverChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                // A deep accept queue: under a connection flood, real initiators still get a place in it.
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                // Above the high mark the connection handler stops reading the initiator (back pressure).
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(context))
                .childHandler(pipeline(context));
        List<Channel> bound = new ArrayList<>();
        try {
            for (Portal p : portals) {
                bound.add(b.bind(new InetSocketAddress(p.host(), p.port())).syncUninterruptibly().channel());
            }
        } catch (RuntimeException e) {
            bound.forEach(Channel::close);
            throw e;
        }
        return new IscsiServer(bound, kernel, context, null);
    }

    /**
     * Serves the same portal on an in-VM address as well (Netty's {@link LocalServerChannel}), on the
     * same processors and with the same pipeline as a socket: the in-process fuzzers' way in, which
     * costs no system call per PDU. Closed with the server.
     */
    public synchronized LocalAddress bindInVm(LocalAddress address) {
        Channel c = new ServerBootstrap()
                .group(kernel.eventLoopGroup(), kernel.eventLoopGroup())
                .channel(LocalServerChannel.class)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(context))
                .childHandler(pipeline(context))
                .bind(address).syncUninterruptibly().channel();
        listeners.add(c);
        return (LocalAddress) c.localAddress();
    }

    /** The addresses actually bound (with the ports the OS picked for port 0). */
    public synchronized List<InetSocketAddress> addresses() {
        List<InetSocketAddress> l = new ArrayList<>();
        for (Channel c : listeners) {
            if (c.localAddress() instanceof InetSocketAddress a) {
                l.add(a);
            }
        }
        return l;
    }

    @Override
    public synchronized void close() {
        for (Channel c : listeners) {
            c.close().syncUninterruptibly();
        }
        if (ioGroup != null) {
            ioGroup.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
