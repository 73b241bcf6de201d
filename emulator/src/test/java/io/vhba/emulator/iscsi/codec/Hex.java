package io.vhba.emulator.iscsi.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Byte arrays written like the RFC's layout diagrams: hex pairs, whitespace ignored, '#' comments to end of line. */
final class Hex {
    private Hex() {
    }

    static byte[] hex(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String line : text.split("\n")) {
            int comment = line.indexOf('#');
            String digits = (comment >= 0 ? line.substring(0, comment) : line).replaceAll("\\s", "");
            if (digits.length() % 2 != 0) {
                throw new IllegalArgumentException("odd number of hex digits in: " + line);
            }
            for (int i = 0; i < digits.length(); i += 2) {
                out.write(Integer.parseInt(digits.substring(i, i + 2), 16));
            }
        }
        return out.toByteArray();
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] zeros(int n) {
        return new byte[n];
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
