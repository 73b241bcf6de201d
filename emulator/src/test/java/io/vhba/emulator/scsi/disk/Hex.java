package io.vhba.emulator.scsi.disk;

/** Hex strings for readable expected wire bytes; spaces are ignored. */
final class Hex {

    private Hex() {}

    static byte[] bytes(String hex) {
        String s = hex.replace(" ", "").replace("\n", "");
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    static String of(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02X", x & 0xFF));
        }
        return sb.toString();
    }
}
