package io.vhba.emulator.explore;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.vhba.emulator.iscsi.sim.ConnectionSink;
import io.vhba.emulator.kernel.sched.DeterministicScheduler;
import io.vhba.emulator.runtime.SimulatedNetwork;
import java.util.ArrayDeque;

/**
 * An in-memory connection of an explored run. The initiator is a simulated thread: sending queues an input on the
 * target's processor, receiving is a scheduler wait, and the target's writes land here on its processor's thread.
 * Everything happens under the scheduler's baton, so plain collections are safe.
 */
final class SimWire implements Wire {
    private final SimulatedNetwork net;
    private final DeterministicScheduler scheduler;
    private final ArrayDeque<byte[]> inbox = new ArrayDeque<>();
    private final int id;
    private boolean closed;

    SimWire(SimulatedNetwork net) {
        this.net = net;
        this.scheduler = net.scheduler();
        this.id = net.connect(new ConnectionSink() {
            @Override
            public void write(ByteBuf data) {
                try {
                    inbox.add(ByteBufUtil.getBytes(data));
                } finally {
                    data.release();
                }
            }

            @Override
            public void flush() {
                // each write is already in the inbox
            }

            @Override
            public void close() {
                closed = true;
            }
        });
    }

    @Override
    public void send(byte[] bytes) {
        net.send(id, bytes);
    }

    @Override
    public byte[] receive() {
        scheduler.block(() -> !inbox.isEmpty() || closed, null);
        return inbox.poll();
    }

    @Override
    public void close() {
        net.close(id);
    }
}
