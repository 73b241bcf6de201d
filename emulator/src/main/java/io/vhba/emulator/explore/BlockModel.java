package io.vhba.emulator.explore;

import java.util.Arrays;
import java.util.Random;

/**
 * What every region of every LUN should hold: the data of the last write that completed GOOD there (zeros before any),
 * or unknown after a write whose outcome the initiator cannot know (aborted, reset, failed). Reads of known regions are
 * checked against it.
 */
final class BlockModel {
    private final byte[][][] data;
    private final boolean[][] unknown;
    private final int[][] versions;
    private final int regionBytes;

    BlockModel(int luns, int regions, int regionBytes) {
        this.data = new byte[luns][regions][];
        this.unknown = new boolean[luns][regions];
        this.versions = new int[luns][regions];
        this.regionBytes = regionBytes;
    }

    /** The next data to write to a region: distinct per region and version, the same in every run of a seed. */
    byte[] nextPattern(int lun, int region) {
        int v = ++versions[lun][region];
        byte[] b = new byte[regionBytes];
        new Random(((long) lun << 40) ^ ((long) region << 20) ^ v).nextBytes(b);
        return b;
    }

    void written(int lun, int region, byte[] bytes) {
        data[lun][region] = bytes;
        unknown[lun][region] = false;
    }

    void lost(int lun, int region) {
        unknown[lun][region] = true;
    }

    /** Null when the read matches or cannot be judged; else what differs. */
    String check(int lun, int region, byte[] read) {
        if (unknown[lun][region]) {
            return null;
        }
        byte[] expected = data[lun][region] == null ? new byte[regionBytes] : data[lun][region];
        if (Arrays.equals(expected, read)) {
            return null;
        }
        int at = Arrays.mismatch(expected, read);
        return "LUN " + lun + " region " + region + ": byte " + at + " reads "
                + (at < read.length ? String.format("%02x", read[at]) : "nothing") + ", the last completed write put "
                + (at < expected.length ? String.format("%02x", expected[at]) : "nothing") + " there ("
                + read.length + " of " + expected.length + " bytes came back)";
    }
}
