package io.vhba.samples.halfduplex;

import io.vhba.miniport.StorPort;
import io.vhba.samples.halfduplex.hw.HalfDuplexRegister;

/** BAR0 as the miniport reaches it: {@code StorPortRead/WriteRegisterUlong} at the mapped base plus the datasheet offset. */
record Registers(StorPort port, Object deviceExtension, long base) {

    int read(HalfDuplexRegister register) {
        return port.readRegisterUlong(deviceExtension, base + register.offset());
    }

    void write(HalfDuplexRegister register, int value) {
        port.writeRegisterUlong(deviceExtension, base + register.offset(), value);
    }
}
