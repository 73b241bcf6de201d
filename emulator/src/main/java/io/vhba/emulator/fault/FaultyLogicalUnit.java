package io.vhba.emulator.fault;

import io.vhba.hw.CommandLost;
import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiLogicalUnit;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import java.util.function.Consumer;

/**
 * The controller/device boundary of one LUN: the controller runs its commands on this, which
 * applies the device-layer faults (medium error, given sense, lost command) before the real
 * unit. With no fault installed it costs one volatile read per command.
 */
final class FaultyLogicalUnit implements ScsiLogicalUnit {
    /** Fixed-format sense carries a 32-bit INFORMATION field; a larger LBA is reported with VALID=0 (SPC-4 4.5.3). */
    private static final long FIXED_INFORMATION_MAX = 0xFFFF_FFFFL;

    private final FaultInjector injector;
    private final String adapter;
    private final int lun;
    private final ScsiLogicalUnit unit;

    FaultyLogicalUnit(FaultInjector injector, String adapter, int lun, ScsiLogicalUnit unit) {
        this.injector = injector;
        this.adapter = adapter;
        this.lun = lun;
        this.unit = unit;
    }

    @Override
    public ScsiResult execute(ScsiCommand command) {
        ScsiResult faulted = faulted(command);
        return faulted != null ? faulted : unit.execute(command);
    }

    @Override
    public void start(ScsiCommand command, Consumer<ScsiResult> done) {
        ScsiResult faulted = faulted(command);
        if (faulted != null) {
            done.accept(faulted);
        } else {
            unit.start(command, done);
        }
    }

    /** The answer of the first device-layer fault that fires for {@code command}, or null. */
    private ScsiResult faulted(ScsiCommand command) {
        for (ActiveFault f : injector.faults()) {
            if (f.spec().kind().layer() != FaultKind.Layer.DEVICE || !f.spec().target().aims(adapter, lun)) {
                continue;
            }
            ScsiResult r = apply(f, command);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /**
     * A read returns the blocks in front of the bad one, as a disk does: the real read runs and the
     * result says only those bytes were transferred, so an initiator that reads INFORMATION (Linux
     * sd) completes them and fails the rest. A failed write writes nothing.
     */
    private int goodPrefix(ScsiCommand command, BlockAccess access, long bad) {
        if (access.write() || bad <= access.lba() || command.data() == null || access.blocks() == 0) {
            return 0;
        }
        ScsiResult whole = unit.execute(command);
        if (whole.status() != io.vhba.miniport.scsi.ScsiStatus.GOOD) {
            return 0;
        }
        long blockSize = whole.transferred() / access.blocks();
        return (int) Math.min(whole.transferred(), (bad - access.lba()) * blockSize);
    }

    private ScsiResult apply(ActiveFault f, ScsiCommand command) {
        switch (f.spec().kind()) {
            case MEDIUM_ERROR -> {
                BlockAccess access = BlockAccess.of(command.cdb(), command.cdbLength());
                long bad = access == null ? -1 : f.spec().lbas().firstIn(access.lba(), access.blocks());
                if (bad < 0 || !f.fire()) {
                    return null; // only commands that touch the range are its opportunities
                }
                injector.fired(f, adapter + " lun " + lun + " LBA " + bad);
                // SBC-4 4.13 / SPC-4 4.5.3: VALID=1 and INFORMATION = the first LBA in error.
                AdditionalSense asc = access.write() ? AdditionalSense.WRITE_ERROR : AdditionalSense.UNRECOVERED_READ_ERROR;
                SenseData sense = bad <= FIXED_INFORMATION_MAX
                        ? SenseData.withInformation(SenseKey.MEDIUM_ERROR, asc, bad)
                        : SenseData.of(SenseKey.MEDIUM_ERROR, asc);
                return ScsiResult.checkCondition(sense, goodPrefix(command, access, bad));
            }
            case SENSE -> {
                if (!f.fire()) {
                    return null;
                }
                injector.fired(f, adapter + " lun " + lun);
                return ScsiResult.checkCondition(f.spec().sense());
            }
            case NEVER_COMPLETE -> {
                if (!f.fire()) {
                    return null;
                }
                injector.fired(f, adapter + " lun " + lun + " opcode 0x" + Integer.toHexString(command.opcode()));
                throw new CommandLost("fault injection: never-complete on " + adapter + " lun " + lun);
            }
            default -> {
                return null;
            }
        }
    }
}
