package io.vhba.samples.common.hw;

/**
 * A register of a sample controller's BAR0 datasheet table: a single DWORD, or an array of
 * {@link #count()} DWORDs {@link #stride()} bytes apart (one per vector, one per queue). The
 * controllers' register enums implement it, so each table stays a plain list of names and
 * offsets while the element arithmetic and naming live here once.
 */
public interface RegisterArray {

    /** The datasheet name of the register (element 0's, for an array); an enum's {@code name()}. */
    String name();

    /** The byte offset in BAR0 (of element 0 for a register array). */
    int offset();

    /** 1, or the number of elements of a register array. */
    int count();

    /** Bytes between two elements of a register array (unused when {@link #count()} is 1). */
    int stride();

    /** The offset of element {@code index} of a register array. */
    default int offset(int index) {
        if (index < 0 || index >= count()) {
            throw new IndexOutOfBoundsException(name() + "[" + index + "] (has " + count() + ")");
        }
        return offset() + stride() * index;
    }

    /** The datasheet name of element {@code index}: {@code CONTROL}, {@code CQ_HEAD[3]}. */
    default String registerName(int index) {
        return count() == 1 ? name() : name() + "[" + index + "]";
    }
}
