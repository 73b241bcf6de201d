package io.vhba.emulator.scsi.core;

import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.storport.EngineSrb;
import io.vhba.emulator.storport.PortLogicalUnit;
import io.vhba.miniport.SrbFlags;
import io.vhba.miniport.scsi.ScsiOpcode;
import io.vhba.miniport.scsi.ScsiStatus;
import java.util.function.Consumer;

/**
 * A command ready to leave the core as an SRB. The transport first writes
 * {@link #dataOutLength()} bytes of Data-Out into {@link #buffer()}, then calls
 * {@link #submit}. The outcome arrives on a processor thread at DISPATCH_LEVEL.
 */
public final class PreparedCommand {
    private final ScsiTargetCore core;
    private final CommandRequest request;
    private final TargetLun lun;
    private final HostBuffer buffer;
    private final int bufferLength;
    private final int dataOutLength;
    private final long dataOutWanted;
    private final boolean dataIn;
    private final LocalExecution local;
    private EngineSrb srb;

    PreparedCommand(ScsiTargetCore core, CommandRequest request, TargetLun lun, HostBuffer buffer, int bufferLength,
                    int dataOutLength, long dataOutWanted, boolean dataIn) {
        this(core, request, lun, buffer, bufferLength, dataOutLength, dataOutWanted, dataIn, null);
    }

    PreparedCommand(ScsiTargetCore core, CommandRequest request, TargetLun lun, HostBuffer buffer, int bufferLength,
                    int dataOutLength, long dataOutWanted, boolean dataIn, LocalExecution local) {
        this.local = local;
        this.core = core;
        this.request = request;
        this.lun = lun;
        this.buffer = buffer;
        this.bufferLength = bufferLength;
        this.dataOutLength = dataOutLength;
        this.dataOutWanted = dataOutWanted;
        this.dataIn = dataIn;
    }

    public CommandRequest request() {
        return request;
    }

    /** Bytes of Data-Out to collect before {@link #submit}; 0 for none. */
    public int dataOutLength() {
        return dataOutLength;
    }

    /** Where Data-Out goes; null when the command moves no data. */
    public HostBuffer buffer() {
        return buffer;
    }

    /** The SRB once submitted (for task management), else null. */
    public EngineSrb srb() {
        return srb;
    }

    /** Sends the command to the engine. Must run on a processor thread. */
    public void submit(Consumer<CommandOutcome> done) {
        CommandOutcome refused = core.refuseBeforeSubmit(request, buffer, dataOutLength);
        if (refused != null) {
            if (buffer != null) {
                buffer.release();
            }
            done.accept(refused.withDataOutWanted(dataOutWanted));
            return;
        }
        if (local != null) {
            // Answered by the core itself (PERSISTENT RESERVE OUT): no SRB, the Data-Out is the parameter list.
            byte[] data = new byte[buffer == null ? 0 : dataOutLength];
            if (buffer != null) {
                buffer.get(0, data, 0, data.length);
                buffer.release();
            }
            local.execute(data, o -> done.accept(o.withDataOutWanted(dataOutWanted)));
            return;
        }
        PortLogicalUnit port = lun.port();
        int flags = buffer == null ? SrbFlags.NO_DATA_TRANSFER : dataIn ? SrbFlags.DATA_IN : SrbFlags.DATA_OUT;
        EngineSrb s = port.adapter().allocateSrb();
        this.srb = s;
        byte[] cdb = request.cdb();
        if (Vpd83.isDeviceIdentificationPage(cdb)) {
            // Ask the device for the whole page: the core appends the port designators, then cuts
            // the answer to the initiator's allocation length (postProcess).
            cdb = cdb.clone();
            cdb[3] = (byte) (bufferLength >> 8);
            cdb[4] = (byte) bufferLength;
        } else if (SupportedOpcodes.isAllCommands(cdb)) {
            // Likewise for the all-commands list the core adds its own commands to.
            cdb = SupportedOpcodes.withAllocationLength(cdb, bufferLength);
        }
        s.prepareExecuteScsi(port, cdb, cdb.length, flags, buffer, bufferLength, core.timeoutSeconds(),
                queueAction(request.taskAttribute()), completed -> {
                    CommandOutcome o = SrbOutcomes.of(completed);
                    int moved = completed.portDataTransferLength();
                    completed.recycle();
                    done.accept(finish(o, moved));
                }, this);
        port.adapter().submit(s);
    }

    private CommandOutcome finish(CommandOutcome o, int moved) {
        if (dataIn && buffer != null) {
            int len = o.status() == ScsiStatus.GOOD || o.status() == ScsiStatus.CHECK_CONDITION ? moved : 0;
            CommandOutcome withData = new CommandOutcome(o.status(), o.sense(), buffer, len, 0);
            return core.postProcess(request, lun, withData);
        }
        if (buffer != null) {
            buffer.release();
        }
        if (o.status() == ScsiStatus.GOOD && bufferLength > 0 && isModeSelect(request.cdb())) {
            // SPC-4 6.11/6.12: parameters a MODE SELECT changed are shared by every I_T nexus, so
            // the others learn of it from MODE PARAMETERS CHANGED (2Ah/01h).
            core.establishUnitAttention(lun, io.vhba.miniport.scsi.AdditionalSense.MODE_PARAMETERS_CHANGED, request.nexus());
        }
        return o.withDataOutWanted(dataOutWanted);
    }

    private static boolean isModeSelect(byte[] cdb) {
        int op = cdb[0] & 0xFF;
        return op == ScsiOpcode.MODE_SELECT_6.code() || op == ScsiOpcode.MODE_SELECT_10.code();
    }

    /** SAM-5 task attribute -> SRB QueueAction (SIMPLE_TAG 0x20, HEAD_OF_QUEUE 0x21, ORDERED 0x22). */
    private static int queueAction(int attribute) {
        return switch (attribute) {
            case 2 -> 0x22;
            case 3 -> 0x21;
            default -> 0x20;
        };
    }
}
