package io.vhba.samples.mailbox;

import io.vhba.miniport.StorPort;
import io.vhba.samples.mailbox.hw.MailboxRegister;

/**
 * BAR0 as the miniport reaches it: {@code StorPortReadRegisterUlong} /
 * {@code StorPortWriteRegisterUlong} at the mapped base plus the datasheet offset.
 */
record Registers(StorPort port, Object deviceExtension, long base) {

    int read(MailboxRegister register) {
        return port.readRegisterUlong(deviceExtension, base + register.offset());
    }

    void write(MailboxRegister register, int value) {
        port.writeRegisterUlong(deviceExtension, base + register.offset(), value);
    }

    /** An element of a register array, such as {@code CQ_HEAD[v]}. */
    void write(MailboxRegister register, int index, int value) {
        port.writeRegisterUlong(deviceExtension, base + register.offset(index), value);
    }
}
