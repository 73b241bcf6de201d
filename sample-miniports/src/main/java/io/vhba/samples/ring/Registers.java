package io.vhba.samples.ring;

import io.vhba.miniport.StorPort;
import io.vhba.samples.ring.hw.RingRegister;

/**
 * BAR0 as the miniport reaches it: {@code StorPortReadRegisterUlong} /
 * {@code StorPortWriteRegisterUlong} at the mapped base plus the datasheet offset.
 */
record Registers(StorPort port, Object deviceExtension, long base) {

    int read(RingRegister register) {
        return port.readRegisterUlong(deviceExtension, base + register.offset());
    }

    void write(RingRegister register, int value) {
        port.writeRegisterUlong(deviceExtension, base + register.offset(), value);
    }

    /** Element {@code queue} of a per-queue register, such as {@code SQ_TAIL[q]}. */
    void write(RingRegister register, int queue, int value) {
        port.writeRegisterUlong(deviceExtension, base + register.offset(queue), value);
    }
}
