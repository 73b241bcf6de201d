package io.vhba.hw;

import java.nio.ByteBuffer;

/**
 * The initiator's data buffer as a device sees it during the data phase: a controller
 * implements it over the request's scatter/gather list and {@link Dma}, so the device
 * model streams data to and from host memory without an intermediate copy.
 */
public interface DataBuffer {

    /** The buffer length: the most a command may move (SRB {@code DataTransferLength}). */
    int length();

    /** Data-In: copies {@code src.remaining()} bytes to the buffer at {@code offset}. */
    void writeDataIn(int offset, ByteBuffer src);

    /** Data-Out: fills {@code dst.remaining()} bytes from the buffer at {@code offset}. */
    void readDataOut(int offset, ByteBuffer dst);

    /** An empty buffer for commands without data. */
    DataBuffer NONE = new DataBuffer() {
        @Override
        public int length() {
            return 0;
        }

        @Override
        public void writeDataIn(int offset, ByteBuffer src) {
            throw new IndexOutOfBoundsException("no data buffer");
        }

        @Override
        public void readDataOut(int offset, ByteBuffer dst) {
            throw new IndexOutOfBoundsException("no data buffer");
        }
    };
}
