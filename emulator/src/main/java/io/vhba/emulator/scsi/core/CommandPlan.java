package io.vhba.emulator.scsi.core;

/** What the core decided for a command: answer now, or collect Data-Out and execute. */
public sealed interface CommandPlan {

    /** The command is already answered (unit attention, REPORT LUNS, a bad LUN, a refused CDB). */
    record Immediate(CommandOutcome outcome) implements CommandPlan {}

    /** The command needs the engine (and perhaps Data-Out first). */
    record Execute(PreparedCommand command) implements CommandPlan {}
}
