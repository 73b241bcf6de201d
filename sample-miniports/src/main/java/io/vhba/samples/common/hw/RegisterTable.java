package io.vhba.samples.common.hw;

import io.vhba.hw.Access;
import io.vhba.hw.Register;
import io.vhba.hw.RegisterField;
import io.vhba.hw.RegisterFile;
import io.vhba.hw.Width;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A controller's BAR0 built from its datasheet table: one {@link Row} per register (access, reset
 * value, side effects, fields), every register a DWORD, a register array expanded into its
 * elements. Each sample controller keeps its table, the declarative part, in its own class.
 */
public final class RegisterTable {
    private RegisterTable() {}

    /** One row of the table; {@code writeHook} gets the element index of a register array (0 for a single register). */
    public record Row(RegisterArray register, Access access, long resetValue, Register.ReadHook readHook,
                      IntFunction<Register.WriteHook> writeHook, RegisterField... fields) {}

    /**
     * The register file {@code name} of {@code size} bytes holding every row; a register array gets
     * at most {@code maxElements} elements (the ones the device implements).
     */
    public static RegisterFile build(String name, int size, List<Row> rows, int maxElements) {
        RegisterFile.Builder b = RegisterFile.builder(name, size);
        for (Row row : rows) {
            int elements = Math.min(row.register().count(), maxElements);
            for (int i = 0; i < elements; i++) {
                b.register(row.register().registerName(i), row.register().offset(i), Width.DWORD, row.access(),
                        row.resetValue(), row.readHook(), row.writeHook() == null ? null : row.writeHook().apply(i), row.fields());
            }
        }
        return b.build();
    }
}
