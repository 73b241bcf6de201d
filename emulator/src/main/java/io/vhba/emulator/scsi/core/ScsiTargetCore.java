package io.vhba.emulator.scsi.core;

import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.limits.Limit;
import io.vhba.emulator.limits.LimitEvents;
import io.vhba.emulator.platform.HostMemory;
import io.vhba.emulator.platform.HostMemoryQuota;
import io.vhba.emulator.platform.HostMemoryQuotaExceededException;
import io.vhba.emulator.platform.OutOfHostMemoryException;
import io.vhba.emulator.scsi.core.access.LunMask;
import io.vhba.emulator.scsi.core.reservation.LunReservations;
import io.vhba.emulator.scsi.core.reservation.PrStore;
import io.vhba.hw.DataDirection;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.ScsiOpcode;
import io.vhba.miniport.scsi.ScsiStatus;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;

/**
 * Decides what happens to each command (SAM-5 5.14, SPC-4 5.14): unit attentions first,
 * then the reservation commands and reservation conflicts (SPC-4 5.13), then the target-wide
 * commands the core answers itself, then everything else as an SRB with a buffer sized from
 * the CDB.
 */
public final class ScsiTargetCore {
    /** The largest data phase the core accepts in one command (the adapter may allow less). */
    static final long MAX_TRANSFER = 16L << 20;

    private final HostMemory memory;
    private final int timeoutSeconds;
    private final Reservations reservations;
    private final java.util.List<java.util.function.BiConsumer<ScsiTarget, ItNexus>> nexusLossListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The host memory each I_T nexus's command buffers may hold (0: no limit but host memory itself). */
    private volatile long nexusMemoryLimit;
    private volatile LimitEvents limitEvents = new LimitEvents();
    private final java.util.Map<ItNexus, HostMemoryQuota> quotas = new java.util.concurrent.ConcurrentHashMap<>();
    /** The live I_T nexuses of each target, so a LUN added later reaches them; guarded by the target's monitor. */
    private final java.util.Map<ScsiTarget, java.util.Set<ItNexus>> nexuses =
            java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    /** A core whose persistent reservations cannot persist through power loss (PTPL_C=0). */
    public ScsiTargetCore(HostMemory memory, int timeoutSeconds) {
        this(memory, timeoutSeconds, PrStore.NONE);
    }

    /** A core keeping APTPL reservation state in {@code store} (SPC-4 5.13.5). */
    public ScsiTargetCore(HostMemory memory, int timeoutSeconds, PrStore store) {
        this.memory = memory;
        this.timeoutSeconds = timeoutSeconds;
        this.reservations = new Reservations(memory, store);
    }

    /**
     * Limits the data buffers the commands of one I_T nexus may hold to {@code bytes}, for nexuses that join from now
     * on; a command beyond it ends with TASK SET FULL (SAM-5 5.3.1), so one session cannot exhaust host memory.
     */
    public void limitNexusMemory(long bytes, LimitEvents events) {
        nexusMemoryLimit = bytes;
        limitEvents = events;
    }

    /** The transport's hook for PREEMPT AND ABORT. */
    public void setTaskAborter(TaskAborter aborter) {
        reservations.setTaskAborter(aborter);
    }

    /** Restores the saved reservation state of every LUN of {@code target} (APTPL); throws on an unreadable file. */
    public void loadReservations(ScsiTarget target) {
        reservations.load(target);
    }

    /** The reservation state of {@code lun} (for diagnostics and tests). */
    public LunReservations reservations(ScsiTarget target, TargetLun lun) {
        return reservations.of(target, lun);
    }

    int timeoutSeconds() {
        return timeoutSeconds;
    }

    /**
     * A new I_T nexus to {@code target}: every LUN gets the power-on/reset unit attention for it. Holds the target's
     * monitor, as {@link #lunAdded} does, so a LUN mapped meanwhile still learns of the nexus.
     */
    public void nexusJoined(ScsiTarget target, ItNexus nexus) {
        long limit = nexusMemoryLimit;
        if (limit > 0) {
            quotas.put(nexus, new HostMemoryQuota(memory, limit));
        }
        synchronized (target) {
            nexuses.computeIfAbsent(target, t -> new java.util.LinkedHashSet<>()).add(nexus);
            for (TargetLun l : target.luns()) {
                joined(target, l, nexus);
            }
        }
    }

    private static void joined(ScsiTarget target, TargetLun l, ItNexus nexus) {
        if (target.unitAttentionOnLogin()) {
            l.unitAttentions.nexusJoined(nexus);
        } else {
            l.unitAttentions.ensureKnown(nexus);
        }
    }

    /** The nexus is gone (SAM-5 6.3.4 I_T nexus loss): its unit attentions and its SPC-2 reservations go with it. */
    public void nexusLeft(ScsiTarget target, ItNexus nexus) {
        quotas.remove(nexus); // buffers still in flight credit the old quota, which then goes away
        synchronized (target) {
            java.util.Set<ItNexus> s = nexuses.get(target);
            if (s != null) {
                s.remove(nexus);
            }
        }
        for (TargetLun l : target.luns()) {
            l.unitAttentions.nexusLeft(nexus);
            l.mediumRemoval.nexusLost(this, target, l, nexus);
        }
        reservations.nexusLeft(target, nexus);
        nexusLossListeners.forEach(listener -> listener.accept(target, nexus));
    }

    /**
     * Maps a new logical unit into {@code target} while it serves (hot add). Each existing I_T nexus meets the new
     * unit as a new nexus meets every unit (POWER ON, RESET, OR BUS DEVICE RESET OCCURRED unless the target turned
     * that off), and gets REPORTED LUNS DATA HAS CHANGED on every LUN: the logical unit inventory changed
     * (SPC-4 6.33, SAM-5 5.14).
     *
     * @throws IllegalArgumentException when the LUN number is mapped already
     */
    public void lunAdded(ScsiTarget target, TargetLun lun) {
        synchronized (target) {
            target.map(lun);
            for (ItNexus n : nexuses.getOrDefault(target, java.util.Set.of())) {
                joined(target, lun, n);
            }
            for (TargetLun l : target.luns()) {
                l.unitAttentions.establishForAll(AdditionalSense.REPORTED_LUNS_DATA_HAS_CHANGED, null);
            }
        }
    }

    /**
     * Takes a logical unit out of {@code target} (hot removal): from now on commands to its number get LOGICAL UNIT
     * NOT SUPPORTED, its reservations are gone, and every nexus gets REPORTED LUNS DATA HAS CHANGED on the LUNs that
     * remain (SPC-4 6.33). Commands already planned finish on the unit. Returns the unit, or null if not mapped.
     */
    public TargetLun lunRemoved(ScsiTarget target, int lun) {
        synchronized (target) {
            TargetLun l = target.unmap(lun);
            if (l == null) {
                return null;
            }
            reservations.forget(l);
            for (TargetLun other : target.luns()) {
                other.unitAttentions.establishForAll(AdditionalSense.REPORTED_LUNS_DATA_HAS_CHANGED, null);
            }
            return l;
        }
    }

    /**
     * Runs {@code listener} after every I_T nexus loss, for state the devices behind the adapter hold per nexus
     * (for example held EXTENDED COPY results, SPC-4 6.18.1) and cannot learn of through an SRB.
     */
    public void onNexusLoss(java.util.function.BiConsumer<ScsiTarget, ItNexus> listener) {
        nexusLossListeners.add(listener);
    }

    /**
     * A logical unit reset done for {@code by} (SAM-5 6.3.2): every nexus but {@code by} (all of them when
     * null) gets a unit attention, and the SPC-2 reservation is released; persistent reservations stay (SPC-4 5.13.1).
     */
    public void logicalUnitReset(ScsiTarget target, TargetLun lun, ItNexus by) {
        reservations.logicalUnitReset(target, lun);
        lun.mediumRemoval.reset(this, target, lun);
        lun.unitAttentions.establishForAll(AdditionalSense.BUS_DEVICE_RESET_FUNCTION_OCCURRED, by);
    }

    /** Establishes a unit attention on {@code lun} for every nexus but {@code except}. */
    public void establishUnitAttention(TargetLun lun, AdditionalSense condition, ItNexus except) {
        lun.unitAttentions.establishForAll(condition, except);
    }

    public CommandPlan plan(CommandRequest r) {
        byte[] cdb = r.cdb();
        ScsiOpcode op = ScsiOpcode.of(cdb[0]);
        // LUN masking: a LUN the initiator may not see is a missing LUN for it, in REPORT LUNS and for every command.
        LunMask visible = r.target().visibleLuns(r.nexus());
        if (op == ScsiOpcode.REPORT_LUNS) {
            // REPORT LUNS is answered for the target, whatever LUN it is addressed to (SPC-4 6.33).
            TargetLun l = r.lun() >= 0 && visible.includes(r.lun()) ? r.target().lun(r.lun()) : null;
            if (l != null) {
                l.unitAttentions.clear(r.nexus(), AdditionalSense.REPORTED_LUNS_DATA_HAS_CHANGED);
            }
            return new CommandPlan.Immediate(ReportLuns.answer(memory, r.target(), visible, cdb));
        }
        TargetLun lun = r.lun() >= 0 && visible.includes(r.lun()) ? r.target().lun(r.lun()) : null;
        if (lun == null) {
            return new CommandPlan.Immediate(MissingLun.answer(memory, cdb));
        }
        CommandOutcome ua = unitAttention(r, lun, op);
        if (ua != null) {
            return new CommandPlan.Immediate(ua);
        }
        if (r.cdb().length > 16) {
            return new CommandPlan.Immediate(CommandOutcome.checkCondition(
                    SenseData.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_COMMAND_OPERATION_CODE)));
        }
        if (ReportTargetPortGroups.isReportTargetPortGroups(cdb)) {
            // Port groups are the target's (SPC-4 6.37): answered here, next to the VPD 83h port designators;
            // allowed under every reservation type (SPC-4 table 63).
            return new CommandPlan.Immediate(ReportTargetPortGroups.answer(memory, r.target(), cdb));
        }
        if (ReportSupportedTaskManagementFunctions.isReport(cdb)) {
            return new CommandPlan.Immediate(ReportSupportedTaskManagementFunctions.answer(memory, cdb));
        }
        if (Reservations.owns(op)) {
            if (op == ScsiOpcode.PERSISTENT_RESERVE_OUT) {
                return prepare(r, lun, reservations.reserveOut(r, lun));
            }
            return new CommandPlan.Immediate(reservations.answer(r, lun, op));
        }
        if (reservations.conflicts(r, lun)) {
            return new CommandPlan.Immediate(CommandOutcome.of(ScsiStatus.RESERVATION_CONFLICT));
        }
        if (SupportedOpcodes.isOneCoreCommand(cdb)) {
            return new CommandPlan.Immediate(SupportedOpcodes.answerOne(memory, cdb));
        }
        if (op == ScsiOpcode.PREVENT_ALLOW_MEDIUM_REMOVAL && !lun.mediumRemoval.onPreventAllow(r)) {
            return new CommandPlan.Immediate(CommandOutcome.of(ScsiStatus.GOOD)); // another nexus still prevents
        }
        return prepare(r, lun, null);
    }

    /**
     * SAM-5 5.14: a pending unit attention fails the command, except INQUIRY and REPORT LUNS
     * (which run and leave it) and REQUEST SENSE (which returns it as sense data and clears it).
     */
    private CommandOutcome unitAttention(CommandRequest r, TargetLun lun, ScsiOpcode op) {
        if (op == ScsiOpcode.INQUIRY) {
            return null;
        }
        AdditionalSense ua = lun.unitAttentions.take(r.nexus());
        if (ua == null) {
            return null;
        }
        SenseData sense = SenseData.of(SenseKey.UNIT_ATTENTION, ua);
        if (op == ScsiOpcode.REQUEST_SENSE) {
            return RequestSense.withSense(memory, r.cdb(), sense);
        }
        return CommandOutcome.checkCondition(sense);
    }

    private CommandPlan prepare(CommandRequest r, TargetLun lun, LocalExecution local) {
        byte[] cdb = r.cdb();
        CdbTable.Row row = CdbTable.row(cdb);
        DataDirection dir;
        long cdbLength;
        if (row != null && row.length() != null) {
            dir = row.direction();
            cdbLength = row.length().bytes(cdb, lun.blockSize());
        } else {
            // Unknown to the core (or FORMAT UNIT's self-describing list): trust the transport.
            dir = row != null ? row.direction() : r.write() ? DataDirection.OUT : r.read() ? DataDirection.IN : DataDirection.NONE;
            cdbLength = dir == DataDirection.NONE ? 0 : r.expectedDataTransferLength();
        }
        if (dir == DataDirection.NONE || cdbLength == 0) {
            return new CommandPlan.Execute(new PreparedCommand(this, r, lun, null, 0, 0, 0, false, local));
        }
        // A command the core executes itself never reaches the adapter, so only the core's own limit applies.
        long limit = local != null ? MAX_TRANSFER : Math.min(MAX_TRANSFER, lun.port().adapter().maximumTransferLength());
        boolean in = dir == DataDirection.IN;
        long bufferLength = in ? inquiryRoom(cdb, cdbLength) : Math.min(cdbLength, r.write() ? r.expectedDataTransferLength() : 0);
        if (cdbLength > limit && bufferLength > limit) {
            // STORPORT.md: transfers above MaximumTransferLength are refused, not split; VPD B0 advertises the limit.
            return new CommandPlan.Immediate(CommandOutcome.checkCondition(
                    SenseData.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_FIELD_IN_CDB)));
        }
        if (!in && bufferLength == 0) {
            // The initiator sends no Data-Out: run with an empty buffer, report the overflow.
            return new CommandPlan.Execute(new PreparedCommand(this, r, lun, null, 0, 0, cdbLength, false, local));
        }
        HostBuffer buf;
        HostMemoryQuota quota = quotas.get(r.nexus());
        try {
            buf = quota != null ? quota.allocate((int) bufferLength) : memory.allocate((int) bufferLength);
        } catch (HostMemoryQuotaExceededException e) {
            limitEvents.reached(Limit.SESSION_HOST_MEMORY, () -> r.nexus().initiatorPortName() + ": " + e.getMessage());
            return new CommandPlan.Immediate(CommandOutcome.of(ScsiStatus.TASK_SET_FULL));
        } catch (OutOfHostMemoryException e) {
            return new CommandPlan.Immediate(CommandOutcome.of(ScsiStatus.TASK_SET_FULL));
        }
        return new CommandPlan.Execute(new PreparedCommand(this, r, lun, buf, (int) bufferLength,
                in ? 0 : (int) bufferLength, in ? 0 : cdbLength, in, local));
    }

    /**
     * What a command must not do although its LUN is visible, checked once its Data-Out is in: an EXTENDED COPY naming
     * a LUN the initiator may not see (CVE-2020-28374 in LIO). Null when the command may go to the device.
     */
    CommandOutcome refuseBeforeSubmit(CommandRequest r, HostBuffer data, int length) {
        LunMask visible = r.target().visibleLuns(r.nexus());
        return visible.isAll() ? null : CopyTargetAccess.check(r, visible, data, length);
    }

    /**
     * VPD page 0x83 and the all-commands list of REPORT SUPPORTED OPERATION CODES grow by what the
     * core appends, so ask the device for the whole answer.
     */
    private static long inquiryRoom(byte[] cdb, long cdbLength) {
        if (Vpd83.isDeviceIdentificationPage(cdb)) {
            return Math.max(cdbLength, Vpd83.DEVICE_PAGE_ROOM);
        }
        if (SupportedOpcodes.isAllCommands(cdb)) {
            return Math.max(cdbLength, SupportedOpcodes.ALL_COMMANDS_ROOM);
        }
        return cdbLength;
    }

    /**
     * Applies the core's additions to a device answer: the VPD 0x83 port designators, and VPD
     * 0xB0 transfer limits no larger than the adapter's MaximumTransferLength (STORPORT.md: the
     * port refuses larger transfers, so initiators must be told).
     */
    CommandOutcome postProcess(CommandRequest r, TargetLun lun, CommandOutcome o) {
        if (o.status() == ScsiStatus.GOOD && BlockLimits.isBlockLimitsPage(r.cdb())) {
            BlockLimits.clamp(o.dataIn(), o.dataInLength(), lun.port().adapter().maximumTransferLength() / lun.blockSize());
            return o;
        }
        if (o.status() == ScsiStatus.GOOD && Vpd83.isDeviceIdentificationPage(r.cdb())) {
            int length = Vpd83.appendTargetPortDesignators(o.dataIn(), o.dataInLength(), r.target());
            long alloc = ((r.cdb()[3] & 0xFF) << 8) | (r.cdb()[4] & 0xFF);
            return new CommandOutcome(o.status(), o.sense(), o.dataIn(), (int) Math.min(alloc, length), 0);
        }
        if (o.status() == ScsiStatus.GOOD && SupportedOpcodes.isAllCommands(r.cdb())) {
            int length = SupportedOpcodes.mergeAllCommands(o.dataIn(), o.dataInLength(), r.cdb());
            long alloc = TransferLength.field(r.cdb(), 6, 4);
            return new CommandOutcome(o.status(), o.sense(), o.dataIn(), (int) Math.min(alloc, length), 0);
        }
        return o;
    }
}
