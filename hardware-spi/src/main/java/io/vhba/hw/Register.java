package io.vhba.hw;

import java.util.List;

/**
 * One declared register: a row of the register table. Built through {@link RegisterFile.Builder}.
 *
 * @param name    the datasheet name
 * @param offset  byte offset in the register file
 * @param width   declared width
 * @param access  access mode
 * @param resetValue value after reset
 * @param fields  named bit fields (documentation and {@link RegisterFile#getField})
 * @param readHook  computes the value a read returns from the stored value; null returns the stored value
 * @param writeHook runs after a write has updated the stored value; null for none
 */
public record Register(String name, int offset, Width width, Access access, long resetValue,
                       List<RegisterField> fields, ReadHook readHook, WriteHook writeHook) {

    /** Computes what a driver read returns. Runs on the reading thread. */
    @FunctionalInterface
    public interface ReadHook {
        long onRead(long storedValue);
    }

    /** A side effect of a driver write (a doorbell, a reset bit). Runs on the writing thread. */
    @FunctionalInterface
    public interface WriteHook {
        void onWrite(long oldValue, long writtenValue, long newValue);
    }

    public RegisterField field(String fieldName) {
        for (RegisterField f : fields) {
            if (f.name().equals(fieldName)) {
                return f;
            }
        }
        throw new IllegalArgumentException(name + " has no field " + fieldName);
    }
}
