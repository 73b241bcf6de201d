package io.vhba.emulator.scsi.disk;

import static io.vhba.emulator.scsi.disk.DiskCommand.Trait.ALLOWED_WHILE_BUSY;
import static io.vhba.emulator.scsi.disk.DiskCommand.Trait.ENDS_SANITIZE_FAILURE;
import static io.vhba.emulator.scsi.disk.DiskCommand.Trait.MEDIUM_ACCESS;
import static io.vhba.emulator.scsi.disk.DiskCommand.Trait.WRITES_MEDIUM;

import io.vhba.hw.DataDirection;
import io.vhba.miniport.scsi.ScsiOpcode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The command table of the disk: every supported operation code and service action with its handler, data
 * direction, CDB usage bitmap and timeouts. The usage bitmap (SPC-4 6.35.3, CDB USAGE DATA) lists every bit the
 * device evaluates; any other bit set in a CDB is rejected with INVALID FIELD IN CDB, so the bitmap REPORT SUPPORTED
 * OPERATION CODES returns is exactly what the device enforces. Byte 0 holds the operation code (it selects the entry
 * and is not checked); the control byte is 00h: this device takes no NACA or vendor-specific bits. Entries with an
 * {@link Availability} exist only for matching configurations; {@link ConditionalUsage} bits only where they apply.
 */
enum DiskCommand {

    // SPC-4 / SBC-4 commands, in operation code order.
    TEST_UNIT_READY(ScsiOpcode.TEST_UNIT_READY, DataDirection.NONE, Timeouts.QUICK, MediumCommands::testUnitReady,
            usage(0x00, 0x00, 0x00, 0x00, 0x00, 0x00), MEDIUM_ACCESS),
    REQUEST_SENSE(ScsiOpcode.REQUEST_SENSE, DataDirection.IN, Timeouts.QUICK, MediumCommands::requestSense,
            usage(0x03, 0x00, 0x00, 0x00, 0xFF, 0x00), ALLOWED_WHILE_BUSY),
    /** LONGLIST, FMTDATA, CMPLIST, DEFECT LIST FORMAT; FMTPINFO (no protection information) is not evaluated. */
    FORMAT_UNIT(ScsiOpcode.FORMAT_UNIT, DataDirection.OUT, Timeouts.MEDIUM_WIDE, SanitizeCommands::formatUnit,
            usage(0x04, 0x3F, 0x00, 0x00, 0x00, 0x00), MEDIUM_ACCESS, WRITES_MEDIUM),
    READ_6(ScsiOpcode.READ_6, DataDirection.IN, Timeouts.IO, ReadWriteCommands::read,
            usage(0x08, 0x1F, 0xFF, 0xFF, 0xFF, 0x00), MEDIUM_ACCESS, LbaLayout.SIX),
    WRITE_6(ScsiOpcode.WRITE_6, DataDirection.OUT, Timeouts.IO, ReadWriteCommands::write,
            usage(0x0A, 0x1F, 0xFF, 0xFF, 0xFF, 0x00), MEDIUM_ACCESS, WRITES_MEDIUM, LbaLayout.SIX),
    INQUIRY(ScsiOpcode.INQUIRY, DataDirection.IN, Timeouts.QUICK, InquiryCommands::inquiry,
            usage(0x12, 0x01, 0xFF, 0xFF, 0xFF, 0x00), ALLOWED_WHILE_BUSY),
    MODE_SELECT_6(ScsiOpcode.MODE_SELECT_6, DataDirection.OUT, Timeouts.QUICK, ModeCommands::modeSelect,
            usage(0x15, 0x11, 0x00, 0x00, 0xFF, 0x00)),
    MODE_SENSE_6(ScsiOpcode.MODE_SENSE_6, DataDirection.IN, Timeouts.QUICK, ModeCommands::modeSense,
            usage(0x1A, 0x08, 0xFF, 0xFF, 0xFF, 0x00)),
    /** LOEJ (byte 4 bit 1) is evaluated only on removable media. */
    START_STOP_UNIT(ScsiOpcode.START_STOP_UNIT, DataDirection.NONE, Timeouts.QUICK, MediumCommands::startStopUnit,
            usage(0x1B, 0x01, 0x00, 0x0F, 0xF5, 0x00), new ConditionalUsage(4, 0, 0x02)),
    PREVENT_ALLOW_MEDIUM_REMOVAL(ScsiOpcode.PREVENT_ALLOW_MEDIUM_REMOVAL, DataDirection.NONE, Timeouts.QUICK,
            MediumCommands::preventAllow, usage(0x1E, 0x00, 0x00, 0x00, 0x03, 0x00), Availability.REMOVABLE),
    READ_CAPACITY_10(ScsiOpcode.READ_CAPACITY_10, DataDirection.IN, Timeouts.QUICK, CapacityCommands::readCapacity10,
            usage(0x25, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x01, 0x00), MEDIUM_ACCESS),
    READ_10(ScsiOpcode.READ_10, DataDirection.IN, Timeouts.IO, ReadWriteCommands::read,
            usage(0x28, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x00), MEDIUM_ACCESS, LbaLayout.TEN),
    WRITE_10(ScsiOpcode.WRITE_10, DataDirection.OUT, Timeouts.IO, ReadWriteCommands::write,
            usage(0x2A, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x00), MEDIUM_ACCESS, WRITES_MEDIUM, LbaLayout.TEN),
    WRITE_AND_VERIFY_10(ScsiOpcode.WRITE_AND_VERIFY_10, DataDirection.OUT, Timeouts.IO,
            CompareCommands::writeAndVerify, usage(0x2E, 0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x00),
            MEDIUM_ACCESS, WRITES_MEDIUM, LbaLayout.TEN),
    VERIFY_10(ScsiOpcode.VERIFY_10, DataDirection.OUT, Timeouts.IO, CompareCommands::verify,
            usage(0x2F, 0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x00), MEDIUM_ACCESS, LbaLayout.TEN),
    PRE_FETCH_10(ScsiOpcode.PRE_FETCH_10, DataDirection.NONE, Timeouts.IO, MediumCommands::preFetch,
            usage(0x34, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x00), MEDIUM_ACCESS, LbaLayout.TEN),
    /** SYNC_NV (byte 1 bit 2) is obsolete; it is accepted and ignored since every flush reaches the medium. */
    SYNCHRONIZE_CACHE_10(ScsiOpcode.SYNCHRONIZE_CACHE_10, DataDirection.NONE, Timeouts.FLUSH,
            MediumCommands::synchronizeCache, usage(0x35, 0x06, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x00),
            MEDIUM_ACCESS, LbaLayout.TEN),
    READ_DEFECT_DATA_10(ScsiOpcode.READ_DEFECT_DATA_10, DataDirection.IN, Timeouts.QUICK,
            SanitizeCommands::readDefectData, usage(0x37, 0x00, 0x1F, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00),
            MEDIUM_ACCESS),
    /** The UNMAP bit (byte 1 bit 3) is evaluated on thin-provisioned LUNs only (LBPWS10). */
    WRITE_SAME_10(ScsiOpcode.WRITE_SAME_10, DataDirection.OUT, Timeouts.IO, ProvisioningCommands::writeSame,
            usage(0x41, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x00), new ConditionalUsage(1, 0x08, 0),
            MEDIUM_ACCESS, WRITES_MEDIUM, LbaLayout.TEN),
    UNMAP(ScsiOpcode.UNMAP, DataDirection.OUT, Timeouts.IO, ProvisioningCommands::unmap,
            usage(0x42, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1F, 0xFF, 0xFF, 0x00), MEDIUM_ACCESS, WRITES_MEDIUM,
            Availability.THIN_PROVISIONING),
    /** SANITIZE: IMMED, AUSE and the service action in byte 1; ZNR (bit 6) is not evaluated (no zones). */
    SANITIZE_OVERWRITE(ScsiOpcode.SANITIZE, 0x01, DataDirection.OUT, Timeouts.MEDIUM_WIDE,
            SanitizeCommands::overwrite, usage(0x48, 0xBF, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00),
            MEDIUM_ACCESS, WRITES_MEDIUM, ENDS_SANITIZE_FAILURE),
    SANITIZE_BLOCK_ERASE(ScsiOpcode.SANITIZE, 0x02, DataDirection.NONE, Timeouts.MEDIUM_WIDE,
            SanitizeCommands::erase, usage(0x48, 0xBF, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00),
            MEDIUM_ACCESS, WRITES_MEDIUM, ENDS_SANITIZE_FAILURE, Availability.THIN_PROVISIONING),
    SANITIZE_CRYPTO_ERASE(ScsiOpcode.SANITIZE, 0x03, DataDirection.NONE, Timeouts.MEDIUM_WIDE,
            SanitizeCommands::erase, usage(0x48, 0xBF, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00),
            MEDIUM_ACCESS, WRITES_MEDIUM, ENDS_SANITIZE_FAILURE),
    SANITIZE_EXIT_FAILURE_MODE(ScsiOpcode.SANITIZE, 0x1F, DataDirection.NONE, Timeouts.QUICK,
            SanitizeCommands::exitFailureMode, usage(0x48, 0xBF, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00),
            MEDIUM_ACCESS, ENDS_SANITIZE_FAILURE),
    MODE_SELECT_10(ScsiOpcode.MODE_SELECT_10, DataDirection.OUT, Timeouts.QUICK, ModeCommands::modeSelect,
            usage(0x55, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00)),
    MODE_SENSE_10(ScsiOpcode.MODE_SENSE_10, DataDirection.IN, Timeouts.QUICK, ModeCommands::modeSense,
            usage(0x5A, 0x18, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00)),
    /** EXTENDED COPY(LID1) (SPC-4 6.4): copy targets are gated per segment, not by this unit's own state. */
    EXTENDED_COPY_LID1(ScsiOpcode.EXTENDED_COPY, 0x00, DataDirection.OUT, Timeouts.FLUSH,
            ExtendedCopyCommands::extendedCopy,
            usage(0x83, 0x1F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00)),
    /** RECEIVE COPY RESULTS / COPY STATUS (LID1): LIST IDENTIFIER in byte 2 (SPC-4 6.18.3). */
    RECEIVE_COPY_STATUS_LID1(ScsiOpcode.RECEIVE_COPY_RESULTS, 0x00, DataDirection.IN, Timeouts.QUICK,
            ReceiveCopyResults::copyStatus,
            usage(0x84, 0x1F, 0xFF, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00)),
    /** RECEIVE COPY RESULTS / OPERATING PARAMETERS: byte 2 is reserved (SPC-4 6.18.4). */
    RECEIVE_COPY_OPERATING_PARAMETERS(ScsiOpcode.RECEIVE_COPY_RESULTS, 0x03, DataDirection.IN, Timeouts.QUICK,
            ReceiveCopyResults::operatingParameters,
            usage(0x84, 0x1F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00)),
    /** RECEIVE COPY RESULTS / FAILED SEGMENT DETAILS (LID1) (SPC-3 6.17.5). */
    RECEIVE_COPY_FAILURE_DETAILS_LID1(ScsiOpcode.RECEIVE_COPY_RESULTS, 0x04, DataDirection.IN, Timeouts.QUICK,
            ReceiveCopyResults::failedSegmentDetails,
            usage(0x84, 0x1F, 0xFF, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00)),
    READ_16(ScsiOpcode.READ_16, DataDirection.IN, Timeouts.IO, ReadWriteCommands::read,
            usage(0x88, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00), MEDIUM_ACCESS, LbaLayout.SIXTEEN),
    COMPARE_AND_WRITE(ScsiOpcode.COMPARE_AND_WRITE, DataDirection.OUT, Timeouts.IO, CompareCommands::compareAndWrite,
            usage(0x89, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0xFF, 0x1F, 0x00), MEDIUM_ACCESS, WRITES_MEDIUM,
            LbaLayout.COMPARE_AND_WRITE),
    WRITE_16(ScsiOpcode.WRITE_16, DataDirection.OUT, Timeouts.IO, ReadWriteCommands::write,
            usage(0x8A, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00), MEDIUM_ACCESS, WRITES_MEDIUM, LbaLayout.SIXTEEN),
    ORWRITE_16(ScsiOpcode.ORWRITE_16, DataDirection.OUT, Timeouts.IO, ReadWriteCommands::orWrite,
            usage(0x8B, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00), MEDIUM_ACCESS, WRITES_MEDIUM, LbaLayout.SIXTEEN),
    WRITE_AND_VERIFY_16(ScsiOpcode.WRITE_AND_VERIFY_16, DataDirection.OUT, Timeouts.IO,
            CompareCommands::writeAndVerify, usage(0x8E, 0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00),
            MEDIUM_ACCESS, WRITES_MEDIUM, LbaLayout.SIXTEEN),
    VERIFY_16(ScsiOpcode.VERIFY_16, DataDirection.OUT, Timeouts.IO, CompareCommands::verify,
            usage(0x8F, 0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00), MEDIUM_ACCESS, LbaLayout.SIXTEEN),
    PRE_FETCH_16(ScsiOpcode.PRE_FETCH_16, DataDirection.NONE, Timeouts.IO, MediumCommands::preFetch,
            usage(0x90, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00), MEDIUM_ACCESS, LbaLayout.SIXTEEN),
    SYNCHRONIZE_CACHE_16(ScsiOpcode.SYNCHRONIZE_CACHE_16, DataDirection.NONE, Timeouts.FLUSH,
            MediumCommands::synchronizeCache, usage(0x91, 0x06, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00),
            MEDIUM_ACCESS, LbaLayout.SIXTEEN),
    /** NDOB (byte 1 bit 0) always; the UNMAP bit (byte 1 bit 3) on thin-provisioned LUNs only (LBPWS). */
    WRITE_SAME_16(ScsiOpcode.WRITE_SAME_16, DataDirection.OUT, Timeouts.IO, ProvisioningCommands::writeSame,
            usage(0x93, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00), new ConditionalUsage(1, 0x08, 0),
            MEDIUM_ACCESS, WRITES_MEDIUM, LbaLayout.SIXTEEN),
    /** ATOMIC BOUNDARY (bytes 10..11) is not evaluated: no atomic boundaries. */
    WRITE_ATOMIC_16(ScsiOpcode.WRITE_ATOMIC_16, DataDirection.OUT, Timeouts.IO, ReadWriteCommands::writeAtomic,
            usage(0x9C, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0xFF, 0xFF, 0x1F, 0x00), MEDIUM_ACCESS, WRITES_MEDIUM,
            LbaLayout.WRITE_ATOMIC),
    /** SERVICE ACTION IN(16) / READ CAPACITY(16); the LBA and PMI fields are obsolete but still evaluated (SBC-3). */
    READ_CAPACITY_16(ScsiOpcode.SERVICE_ACTION_IN_16, 0x10, DataDirection.IN, Timeouts.QUICK,
            CapacityCommands::readCapacity16, usage(0x9E, 0x1F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00), MEDIUM_ACCESS),
    /** SERVICE ACTION IN(16) / GET LBA STATUS; REPORT TYPE (byte 14) is not evaluated: every status is reported. */
    GET_LBA_STATUS(ScsiOpcode.SERVICE_ACTION_IN_16, 0x12, DataDirection.IN, Timeouts.QUICK,
            ProvisioningCommands::getLbaStatus, usage(0x9E, 0x1F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00), MEDIUM_ACCESS),
    /** MAINTENANCE IN / REPORT SUPPORTED OPERATION CODES (SPC-4 6.35). */
    REPORT_SUPPORTED_OPERATION_CODES(ScsiOpcode.MAINTENANCE_IN, 0x0C, DataDirection.IN, Timeouts.QUICK,
            SupportedOperationCodes::report,
            usage(0xA3, 0x1F, 0x87, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00)),
    READ_12(ScsiOpcode.READ_12, DataDirection.IN, Timeouts.IO, ReadWriteCommands::read,
            usage(0xA8, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00), MEDIUM_ACCESS, LbaLayout.TWELVE),
    WRITE_12(ScsiOpcode.WRITE_12, DataDirection.OUT, Timeouts.IO, ReadWriteCommands::write,
            usage(0xAA, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00), MEDIUM_ACCESS, WRITES_MEDIUM, LbaLayout.TWELVE),
    WRITE_AND_VERIFY_12(ScsiOpcode.WRITE_AND_VERIFY_12, DataDirection.OUT, Timeouts.IO,
            CompareCommands::writeAndVerify, usage(0xAE, 0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00),
            MEDIUM_ACCESS, WRITES_MEDIUM, LbaLayout.TWELVE),
    VERIFY_12(ScsiOpcode.VERIFY_12, DataDirection.OUT, Timeouts.IO, CompareCommands::verify,
            usage(0xAF, 0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00), MEDIUM_ACCESS, LbaLayout.TWELVE),
    /** READ DEFECT DATA(12): REQ_PLIST, REQ_GLIST, format in byte 1; any ADDRESS DESCRIPTOR INDEX (empty lists). */
    READ_DEFECT_DATA_12(ScsiOpcode.READ_DEFECT_DATA_12, DataDirection.IN, Timeouts.QUICK,
            SanitizeCommands::readDefectData, usage(0xB7, 0x1F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00), MEDIUM_ACCESS);

    /** A declarative extra of a table entry. */
    sealed interface Option permits Trait, LbaLayout, ConditionalUsage, Availability {}

    /** How the device state gates a command before its handler runs. */
    enum Trait implements Option {
        /** Needs the medium: NOT READY / MEDIUM NOT PRESENT when ejected, MEDIUM ERROR after a failed sanitize. */
        MEDIUM_ACCESS,
        /** Changes the medium: DATA PROTECT when the LUN is write protected. */
        WRITES_MEDIUM,
        /** Still served while SANITIZE or FORMAT UNIT runs (SBC-4 4.11.4: INQUIRY, REQUEST SENSE). */
        ALLOWED_WHILE_BUSY,
        /** Served in the sanitize failure state (SBC-4 4.11.5): only SANITIZE itself. */
        ENDS_SANITIZE_FAILURE
    }

    /** Bits of CDB byte {@code index} evaluated only on thin-provisioned or only on removable LUNs. */
    record ConditionalUsage(int index, int thinBits, int removableBits) implements Option {}

    /** Entries present only for some configurations. */
    enum Availability implements Option {
        THIN_PROVISIONING, REMOVABLE;

        boolean test(DiskConfig c) {
            return this == THIN_PROVISIONING ? c.thinProvisioning() : c.removable();
        }
    }

    /** The command timeouts descriptor values in seconds (SPC-4 6.35.4). */
    enum Timeouts {
        QUICK(1, 10), IO(1, 30), FLUSH(5, 60), MEDIUM_WIDE(600, 86400);

        final int nominal;
        final int recommended;

        Timeouts(int nominal, int recommended) {
            this.nominal = nominal;
            this.recommended = recommended;
        }
    }

    final ScsiOpcode opcode;
    /** The service action, or -1 when the operation code has none. */
    final int serviceAction;
    final DataDirection direction;
    final Timeouts timeouts;
    final CommandHandler handler;
    /** Where the CDB keeps its LBA and length, for block commands; null otherwise. */
    final LbaLayout layout;
    private final Set<Trait> traits = EnumSet.noneOf(Trait.class);
    private final byte[] usage;
    private final List<ConditionalUsage> conditional = new ArrayList<>();
    private final List<Availability> availability = new ArrayList<>();

    DiskCommand(ScsiOpcode opcode, DataDirection direction, Timeouts timeouts, CommandHandler handler, byte[] usage,
                Option... options) {
        this(opcode, -1, direction, timeouts, handler, usage, options);
    }

    DiskCommand(ScsiOpcode opcode, int serviceAction, DataDirection direction, Timeouts timeouts,
                CommandHandler handler, byte[] usage, Option... options) {
        this.opcode = opcode;
        this.serviceAction = serviceAction;
        this.direction = direction;
        this.timeouts = timeouts;
        this.handler = handler;
        this.usage = usage;
        LbaLayout l = null;
        for (Option o : options) {
            if (o instanceof Trait t) {
                traits.add(t);
            } else if (o instanceof LbaLayout ll) {
                l = ll;
            } else if (o instanceof ConditionalUsage cu) {
                conditional.add(cu);
            } else if (o instanceof Availability a) {
                availability.add(a);
            }
        }
        this.layout = l;
    }

    /** The CDB length, from the usage bitmap. */
    int cdbLength() {
        return usage.length;
    }

    boolean has(Trait t) {
        return traits.contains(t);
    }

    /** Whether this configuration supports the command at all. */
    boolean availableFor(DiskConfig config) {
        return availability.stream().allMatch(a -> a.test(config));
    }

    /** The usage bitmap for this configuration (validation mask: the SERVICE ACTION field is all ones). */
    byte[] usage(DiskConfig config) {
        byte[] u = usage.clone();
        for (ConditionalUsage c : conditional) {
            u[c.index()] |= (byte) ((config.thinProvisioning() ? c.thinBits() : 0)
                    | (config.removable() ? c.removableBits() : 0));
        }
        return u;
    }

    private static byte[] usage(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return b;
    }
}
