package io.vhba.emulator.iscsi.sim;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.vhba.emulator.iscsi.codec.IscsiPduDecoder;
import io.vhba.emulator.iscsi.codec.IscsiPduEncoder;
import io.vhba.emulator.iscsi.codec.PduOrigin;
import io.vhba.emulator.iscsi.session.IscsiConnectionHandler;
import io.vhba.emulator.iscsi.session.PortalContext;
import io.vhba.emulator.kernel.Kernel;
import io.vhba.emulator.kernel.sched.SimulatedEventLoop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;

/**
 * The iSCSI connections of a deterministic run, by id, as {@link SimChannel}s: connection {@code id} lives on
 * processor {@code id mod N}. Each method is an input's admission: it only queues a task on that processor, so the
 * pipeline runs there when the scheduler lets it, never inside the admitting thread. Called by the baton holder only.
 */
public final class SimConnections {
    private final Kernel kernel;
    private final PortalContext portal;
    private final Map<Integer, SimChannel> channels = new HashMap<>();
    private int nextId;

    public SimConnections(Kernel kernel, PortalContext portal) {
        this.kernel = kernel;
        this.portal = portal;
    }

    /** The id the next connection gets: connections are numbered in the order they open. */
    public int nextId() {
        return nextId;
    }

    /** A connection opened: its channel, with the ordinary pipeline, registers on its processor (which fires channelActive). */
    public SimChannel open(int id, String local, String remote, ConnectionSink sink) {
        if (id != nextId) {
            throw new IllegalStateException("connection " + id + " opened out of order (expected " + nextId + ")");
        }
        nextId++;
        SimChannel ch = new SimChannel(address(local), address(remote), sink);
        ch.pipeline().addLast(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
                c.pipeline().addLast(new IscsiPduDecoder(PduOrigin.INITIATOR), new IscsiPduEncoder(),
                        new IscsiConnectionHandler(portal));
            }
        });
        channels.put(id, ch);
        SimulatedEventLoop loop = loopOf(id);
        loop.execute(() -> loop.register(ch));
        return ch;
    }

    /** Bytes from the initiator: one read burst, then read-complete (the handler flushes its answers there). */
    public void data(int id, byte[] bytes) {
        SimChannel ch = channels.get(id);
        if (ch == null) {
            return;
        }
        loopOf(id).execute(() -> {
            if (ch.isActive()) {
                ch.pipeline().fireChannelRead(Unpooled.wrappedBuffer(bytes));
                ch.pipeline().fireChannelReadComplete();
            }
        });
    }

    /** The initiator closed the connection: the channel closes on its processor (channelInactive follows). */
    public void close(int id) {
        SimChannel ch = channels.remove(id);
        if (ch != null) {
            loopOf(id).execute(() -> ch.close());
        }
    }

    /** Closes every connection still open (the run is shutting down). */
    public void closeAll() {
        for (Integer id : new java.util.TreeSet<>(channels.keySet())) {
            close(id);
        }
    }

    private SimulatedEventLoop loopOf(int id) {
        return (SimulatedEventLoop) kernel.processor(id % kernel.processors().size()).executor();
    }

    /** "host:port" (as recorded) to a socket address, without name resolution (hosts are literal addresses). */
    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a literal address: " + hostPort, e);
        }
    }

    /** The recorded form of a socket address. */
    public static String format(java.net.SocketAddress a) {
        InetSocketAddress i = (InetSocketAddress) a;
        String host = i.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + i.getPort();
    }
}
