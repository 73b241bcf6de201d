package io.vhba.emulator.platform;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;
import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;

/**
 * Netty views of host memory pages that hold a reference to their {@link HostBuffer} and drop it when Netty releases
 * them (after the socket write, or when the connection dies with the write pending). So a Data-In needs no write
 * promise and no listener to give its pages back. The unsafe variant exposes the memory address, so the epoll
 * transport hands the page to {@code writev} without building a {@link ByteBuffer} for it.
 */
final class HostPageViews {
    private HostPageViews() {}

    /** A view of {@code page} (position and limit set to the bytes wanted) owning one reference to {@code owner}. */
    static ByteBuf of(ByteBuffer page, HostBuffer owner) {
        owner.retain();
        return PlatformDependent.hasUnsafe() ? new Unsafe(page, owner) : new Safe(page, owner);
    }

    private static final class Unsafe extends UnpooledUnsafeDirectByteBuf {
        private HostBuffer owner;

        Unsafe(ByteBuffer page, HostBuffer owner) {
            super(UnpooledByteBufAllocator.DEFAULT, page, page.remaining());
            this.owner = owner;
        }

        @Override
        protected void deallocate() {
            super.deallocate();
            owner = releaseOnce(owner);
        }
    }

    private static final class Safe extends UnpooledDirectByteBuf {
        private HostBuffer owner;

        Safe(ByteBuffer page, HostBuffer owner) {
            super(UnpooledByteBufAllocator.DEFAULT, page, page.remaining());
            this.owner = owner;
        }

        @Override
        protected void deallocate() {
            super.deallocate();
            owner = releaseOnce(owner);
        }
    }

    /** Drops the view's reference to its owner; returns null for the field, so a second deallocate releases nothing. */
    private static HostBuffer releaseOnce(HostBuffer owner) {
        if (owner != null) {
            owner.release();
        }
        return null;
    }
}
