package io.vhba.emulator.iscsi;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
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
 * "Threads and speed"). Each connection's pipeline is decoder, encoder, connection handler.
 */
public final class IscsiServer implements AutoCloseable {
    private final List<Channel> listeners;

    private IscsiServer(List<Channel> listeners) {
        this.listeners = listeners;
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
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                        context.limits().writeBufferBytes() / 2, context.limits().writeBufferBytes()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new IscsiPduDecoder(PduOrigin.INITIATOR), new IscsiPduEncoder(),
                                new IscsiConnectionHandler(context));
                    }
                });
        List<Channel> bound = new ArrayList<>();
        try {
            for (Portal p : portals) {
                bound.add(b.bind(new InetSocketAddress(p.host(), p.port())).syncUninterruptibly().channel());
            }
        } catch (RuntimeException e) {
            bound.forEach(Channel::close);
            throw e;
        }
        return new IscsiServer(bound);
    }

    /** The addresses actually bound (with the ports the OS picked for port 0). */
    public List<InetSocketAddress> addresses() {
        List<InetSocketAddress> l = new ArrayList<>();
        for (Channel c : listeners) {
            l.add((InetSocketAddress) c.localAddress());
        }
        return l;
    }

    @Override
    public void close() {
        for (Channel c : listeners) {
            c.close().syncUninterruptibly();
        }
    }
}
