package io.vhba.emulator.scsi.disk;

import io.vhba.emulator.scsi.disk.DiskCommand.Trait;
import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiLogicalUnit;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An SPC-4 / SBC-4 direct-access block device over a {@link BackingStore}. Thread-safe: commands on disjoint ranges
 * run in parallel; COMPARE AND WRITE, ORWRITE, WRITE ATOMIC and deallocation exclude other commands on their range
 * only (see {@link RangeLock}).
 *
 * <p>Each command passes, in order: the operation code / service action lookup, the sanitize or format in progress
 * gate (which does not look at the rest of the CDB), CDB validation against the usage bitmap of {@link DiskCommand},
 * the medium state (ejected, sanitize failure), write protection, then its handler.
 */
public final class DiskLogicalUnit implements ScsiLogicalUnit {

    private final Disk disk;

    /** A disk whose mode pages cannot be saved. */
    public DiskLogicalUnit(DiskConfig config, BackingStore store) {
        this(config, store, SavedModePages.NOT_SUPPORTED);
    }

    /**
     * @param saved where savable mode pages (caching WCE, control SWP) persist; loaded now as the power-on values
     * @throws IllegalArgumentException when the store is smaller than the configured capacity
     */
    public DiskLogicalUnit(DiskConfig config, BackingStore store, SavedModePages saved) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(saved, "saved");
        if (store.capacity() < config.geometry().capacityBytes()) {
            throw new IllegalArgumentException("store holds " + store.capacity() + " bytes, the disk needs "
                    + config.geometry().capacityBytes());
        }
        byte[] naa = config.identity().naa().toBytes();
        // alone, the unit's copy manager reaches itself only; a CopyDomain widens that to its target's units
        this.disk = new Disk(config, store, saved, designator -> Arrays.equals(designator, naa) ? this : null);
    }

    /**
     * The platform's threads for what outlives a command (SANITIZE, FORMAT UNIT) and its waits; real threads unless
     * set (deterministic mode gives simulated ones).
     */
    public void useThreads(io.vhba.hw.PlatformThreads threads) {
        disk.threads = Objects.requireNonNull(threads, "threads");
    }

    /** Where EXTENDED COPY finds its copy targets from now on (the runtime's {@link CopyDomain}). */
    public void attachCopyTargets(CopyTargets targets) {
        disk.copy.targets = Objects.requireNonNull(targets, "targets");
    }

    /** Discards the EXTENDED COPY results held for RECEIVE COPY RESULTS: on I_T nexus loss (SPC-4 6.18.1). */
    public void discardHeldCopyResults() {
        disk.copy.results.discard();
    }

    /** EXTENDED COPY results dropped unread to keep the held results bounded ({@code vhba.scsi.copy.results.dropped}). */
    public long heldCopyResultsDropped() {
        return disk.copy.results.dropped();
    }

    /** The shared state, for a copy manager that copies to or from this unit. */
    Disk disk() {
        return disk;
    }

    /** The configuration; its geometry is the current capacity (see {@link #resize}). */
    public DiskConfig config() {
        return disk.config;
    }

    /**
     * Changes the capacity of the medium while commands run (SBC-4 4.6): shrinking drops the blocks past the new
     * end, growing adds blocks that read zeros (deallocated on a thin LUN); the blocks both sizes share keep their
     * data. Commands that come after see the new last LBA. A read-only LUN may be resized: its data does not change.
     * The caller tells the initiators (CAPACITY DATA HAS CHANGED is a unit attention of the target core).
     *
     * @param newCapacityBytes a positive multiple of the logical block length
     * @throws IllegalArgumentException when {@code newCapacityBytes} is not a positive multiple of the block length
     * @throws UncheckedIOException     when the store cannot change its size (a file that cannot be extended)
     */
    public void resize(long newCapacityBytes) {
        try {
            disk.resize(newCapacityBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("resizing to " + newCapacityBytes + " bytes: " + e.getMessage(), e);
        }
    }

    /** The whole-medium operation running now (SANITIZE, FORMAT UNIT) and its progress; empty when none runs. */
    public java.util.Optional<MediumProgress> mediumOperation() {
        if (disk.medium.get() instanceof MediumState.InProgress p) {
            return java.util.Optional.of(new MediumProgress(p.operation().name(), p.done().get(), p.total()));
        }
        return java.util.Optional.empty();
    }

    /** Runs the command; a whole-medium operation sent without IMMED is waited for. */
    @Override
    public ScsiResult execute(ScsiCommand command) {
        try {
            return run(command);
        } catch (StatusLater later) {
            return disk.threads.join(later.status);
        }
    }

    /** Starts the command; a whole-medium operation sent without IMMED answers from its own thread when it ends. */
    @Override
    public void start(ScsiCommand command, Consumer<ScsiResult> done) {
        ScsiResult now;
        try {
            now = run(command);
        } catch (StatusLater later) {
            later.status.thenAccept(done);
            return;
        }
        done.accept(now);
    }

    private ScsiResult run(ScsiCommand command) {
        byte[] cdb = command.cdb();
        if (cdb == null || cdb.length == 0) {
            return ScsiResult.checkCondition(
                    io.vhba.miniport.scsi.SenseData.of(SenseKey.ILLEGAL_REQUEST,
                            AdditionalSense.INVALID_COMMAND_OPERATION_CODE));
        }
        try {
            DiskCommand entry = disk.table.lookup(cdb);
            checkBusy(entry);
            disk.table.validate(entry, cdb);
            checkState(entry);
            if (entry.has(Trait.WRITES_MEDIUM) && disk.writeProtected()) {
                throw CheckCondition.of(SenseKey.DATA_PROTECT, disk.config.readOnly()
                        ? AdditionalSense.WRITE_PROTECTED : AdditionalSense.SOFTWARE_WRITE_PROTECTED);
            }
            return entry.handler.handle(disk, entry, command);
        } catch (CheckCondition cc) {
            return ScsiResult.checkCondition(cc.sense(), cc.transferred());
        }
    }

    /**
     * Clears PREVENT ALLOW MEDIUM REMOVAL. The target core calls this on the events that end a prevention
     * (SPC-4 / SBC-4 5.12): logical unit reset, hard reset, and loss of the I_T nexus that set it.
     */
    public void clearMediumRemovalPrevention() {
        disk.preventRemoval = false;
    }

    /**
     * While SANITIZE or FORMAT UNIT runs, every command but the few listed is terminated with NOT READY and the
     * progress indication (SBC-4 4.11.4, 4.34), whatever its CDB holds: the device does not evaluate it.
     */
    private void checkBusy(DiskCommand entry) {
        if (disk.medium.get() instanceof MediumState.InProgress busy && !entry.has(Trait.ALLOWED_WHILE_BUSY)) {
            throw new CheckCondition(busy.notReady());
        }
    }

    /** Gates a command on the medium state (SBC-4 4.11.5; SPC-4 5.x NOT READY conditions). */
    private void checkState(DiskCommand entry) {
        MediumState state = disk.medium.get();
        if (state instanceof MediumState.InProgress) {
            checkBusy(entry); // began between the two checks
        } else if (state instanceof MediumState.Ejected) {
            if (entry.has(Trait.MEDIUM_ACCESS)) {
                throw CheckCondition.of(SenseKey.NOT_READY, AdditionalSense.MEDIUM_NOT_PRESENT_TRAY_OPEN);
            }
        } else if (state instanceof MediumState.SanitizeFailed) {
            if (entry.has(Trait.MEDIUM_ACCESS) && !entry.has(Trait.ENDS_SANITIZE_FAILURE)) {
                throw CheckCondition.of(SenseKey.MEDIUM_ERROR, AdditionalSense.SANITIZE_COMMAND_FAILED);
            }
        }
    }
}
