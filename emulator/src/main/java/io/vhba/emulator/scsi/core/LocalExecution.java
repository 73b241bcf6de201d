package io.vhba.emulator.scsi.core;

import java.util.function.Consumer;

/** A command the core executes itself once its Data-Out is in (PERSISTENT RESERVE OUT). */
@FunctionalInterface
interface LocalExecution {
    void execute(byte[] dataOut, Consumer<CommandOutcome> done);
}
