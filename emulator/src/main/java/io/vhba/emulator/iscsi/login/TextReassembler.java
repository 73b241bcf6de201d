package io.vhba.emulator.iscsi.login;

import io.netty.buffer.ByteBuf;
import io.vhba.emulator.iscsi.login.TextFormatException.Reason;
import java.io.ByteArrayOutputStream;
import java.util.Optional;

/**
 * Joins the data segments of a run of Login or Text Requests into one logical text data segment
 * (RFC 7143 §6.1): every PDU with the C bit set continues the text, the first PDU with C clear ends
 * it. A key=value pair may be cut anywhere, even inside a UTF-8 sequence, since bytes are joined
 * before they are decoded.
 */
public final class TextReassembler {

    /**
     * §6.1: a node must accept at least 8192 bytes of key=value data in a negotiation sequence, and at
     * least 64 KiB when it accepts authentication methods with very long items.
     */
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;

    private final int maxBytes;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean inProgress;

    public TextReassembler() {
        this(DEFAULT_MAX_BYTES);
    }

    public TextReassembler(int maxBytes) {
        if (maxBytes < 8192) {
            throw new IllegalArgumentException("RFC 7143 §6.1 requires at least 8192 bytes, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /**
     * Adds the readable bytes of one PDU's data segment (the buffer is neither consumed nor released).
     *
     * @param cont the PDU's C bit
     * @return the complete text once a PDU with C clear arrives, otherwise empty
     * @throws TextFormatException if the text grows beyond the limit; the partial text is dropped
     */
    public Optional<byte[]> append(ByteBuf segment, boolean cont) {
        int length = segment.readableBytes();
        if (pending.size() + length > maxBytes) {
            reset();
            throw new TextFormatException(Reason.TEXT_TOO_LONG, "logical text exceeds " + maxBytes + " bytes");
        }
        byte[] bytes = new byte[length];
        segment.getBytes(segment.readerIndex(), bytes);
        pending.writeBytes(bytes);
        if (cont) {
            inProgress = true;
            return Optional.empty();
        }
        byte[] text = pending.toByteArray();
        reset();
        return Optional.of(text);
    }

    /** True while PDUs with the C bit set have been seen and the closing PDU has not. */
    public boolean inProgress() {
        return inProgress;
    }

    /** Drops any partial text. */
    public void reset() {
        pending.reset();
        inProgress = false;
    }
}
