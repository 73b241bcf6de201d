package io.vhba.samples.mailbox.hw;

import io.vhba.hw.Access;
import io.vhba.hw.ControllerOptions;
import io.vhba.hw.DeviceContext;
import io.vhba.hw.DeviceModel;
import io.vhba.hw.Register;
import io.vhba.hw.RegisterField;
import io.vhba.hw.RegisterFile;
import io.vhba.samples.common.hw.LunReset;
import io.vhba.samples.common.hw.MeteredDma;
import io.vhba.samples.common.hw.RegisterTable;
import io.vhba.samples.common.hw.RegisterTable.Row;
import io.vhba.samples.common.hw.UnitAddressing;
import io.vhba.samples.mailbox.hw.MailboxRegister.Caps;
import io.vhba.samples.mailbox.hw.MailboxRegister.Control;
import io.vhba.samples.mailbox.hw.MailboxRegister.Status;
import io.vhba.samples.mailbox.hw.MailboxStatistics.Counter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The mailbox/slot HBA, hardware ID {@value #HARDWARE_ID}: the driver fills 128-byte slots
 * in host memory and rings DOORBELL with a slot index; the device DMAs the command and its
 * scatter/gather list, runs it on the addressed logical unit, DMAs the completion area back,
 * posts an entry on the slot's completion queue and raises that queue's MSI-X vector. The
 * README in {@code io/vhba/samples/mailbox} is its datasheet.
 *
 * <p>Register side effects run on the thread that writes the register, as the
 * {@link RegisterFile} contract says. DOORBELL latches the command there; in inline mode the
 * command then runs as posted device work ({@code DeviceContext.post}), on the same processor
 * once the driver has left its spin locks.
 * ABORT, LUN_RESET and RESET are synchronous: when the write returns, the cancelled commands
 * make no further DMA.
 */
public final class MailboxController implements DeviceModel {
    public static final String HARDWARE_ID = "PCI\\VEN_5648&DEV_0001";
    /** VERSION: 1.0. */
    public static final int VERSION_1_0 = 0x0001_0000;
    /** MSI-X table size, CAPS.MSIX_COUNT. */
    public static final int MSIX_COUNT = 16;
    /** SG_LIMIT: data entries per slot. */
    public static final int SG_LIMIT = 512;
    /** The most slots a controller can be built with ({@link ControllerOptions#slots()}). */
    public static final int MAX_SLOTS = 4096;
    public static final int MAX_CQ_DEPTH = 65536;
    public static final int BAR0_SIZE = 4096;

    private final ControllerOptions options;
    private final MailboxStatistics stats = new MailboxStatistics();
    private final RegisterFile bar0;
    private final CompletionQueues queues;
    private final AtomicReferenceArray<SlotCommand> inFlight;
    /** Serialises the control path: enable, disable, reset, fatal, and doorbell acceptance. */
    private final Object controlLock = new Object();
    private volatile ActiveConfig active;
    private volatile Attachment attachment;
    private volatile int busInfo;

    /** What {@link #attach} wires up. */
    private record Attachment(MeteredDma<Counter> dma, CommandProcessor processor, CommandScheduler scheduler) {}


    public MailboxController(ControllerOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        if (options.slots() > MAX_SLOTS) {
            throw new IllegalArgumentException("the mailbox controller has at most " + MAX_SLOTS + " slots, asked for " + options.slots());
        }
        this.bar0 = buildBar0();
        this.queues = new CompletionQueues(bar0, stats, MSIX_COUNT, this::fatal);
        this.inFlight = new AtomicReferenceArray<>(options.slots());
    }

    /** The register table of the datasheet: offset (from {@link MailboxRegister}), access, reset value, side effect, fields. */
    private List<Row> registerTable() {
        return List.of(
                new Row(MailboxRegister.VERSION, Access.RO, VERSION_1_0, null, null,
                        new RegisterField("MINOR", 0, 16), new RegisterField("MAJOR", 16, 16)),
                new Row(MailboxRegister.CAPS, Access.RO, Caps.encode(options.slots(), MSIX_COUNT), null, null,
                        new RegisterField("MAX_SLOTS", 0, 16), new RegisterField("MSIX_COUNT", 16, 8)),
                new Row(MailboxRegister.CONTROL, Access.RW, 0, null, i -> this::controlWritten,
                        new RegisterField("ENABLE", 0, 1), new RegisterField("RESET", 1, 1),
                        new RegisterField("INTR_ENABLE", 2, 1), new RegisterField("MSIX_ENABLE", 3, 1)),
                new Row(MailboxRegister.STATUS, Access.RO, 0, null, null,
                        new RegisterField("READY", 0, 1), new RegisterField("FATAL", 1, 1),
                        new RegisterField("FATAL_CODE", 8, 8)),
                new Row(MailboxRegister.SLOT_BASE_LO, Access.RW, 0, null, null),
                new Row(MailboxRegister.SLOT_BASE_HI, Access.RW, 0, null, null),
                new Row(MailboxRegister.NUM_SLOTS, Access.RW, 0, null, null),
                new Row(MailboxRegister.NUM_VECTORS, Access.RW, 0, null, null),
                new Row(MailboxRegister.CQ_BASE_LO, Access.RW, 0, null, null),
                new Row(MailboxRegister.CQ_BASE_HI, Access.RW, 0, null, null),
                new Row(MailboxRegister.CQ_DEPTH, Access.RW, 0, null, null),
                new Row(MailboxRegister.INTR_STATUS, Access.W1C, 0, null, i -> (o, w, n) -> queues.statusWritten()),
                new Row(MailboxRegister.INTR_MASK, Access.RW, 0, null, i -> (o, w, n) -> queues.maskWritten()),
                new Row(MailboxRegister.DOORBELL, Access.WO, 0, null, i -> (o, w, n) -> doorbell((int) w)),
                new Row(MailboxRegister.ABORT, Access.WO, 0, null, i -> (o, w, n) -> abort((int) w)),
                new Row(MailboxRegister.LUN_RESET, Access.WO, 0, null, i -> (o, w, n) -> lunReset((int) w),
                        new RegisterField("LUN", 0, 8), new RegisterField("TARGET", 8, 8), new RegisterField("ALL_LUNS", 16, 1)),
                new Row(MailboxRegister.BUS_INFO, Access.RO, 0, stored -> busInfo, null,
                        new RegisterField("TARGETS", 0, 9), new RegisterField("LUNS", 16, 9)),
                new Row(MailboxRegister.SG_LIMIT, Access.RO, SG_LIMIT, null, null),
                new Row(MailboxRegister.CQ_HEAD, Access.WO, 0, null, v -> (o, w, n) -> cqHeadWritten(v, (int) w)));
    }

    private RegisterFile buildBar0() {
        // a register array has one element per MSI-X vector this device implements
        return RegisterTable.build("mailbox BAR0", BAR0_SIZE, registerTable(), MSIX_COUNT);
    }

    // ---- DeviceModel ----------------------------------------------------------------------

    @Override
    public String hardwareId() {
        return HARDWARE_ID;
    }

    @Override
    public List<RegisterFile> bars() {
        return List.of(bar0);
    }

    @Override
    public int msixMessageCount() {
        return MSIX_COUNT;
    }

    /** Wires the device to host memory, its interrupt and its units. The units must use target IDs and LUNs below 256. */
    @Override
    public void attach(DeviceContext context) {
        synchronized (controlLock) {
            if (attachment != null) {
                throw new IllegalStateException("the mailbox controller is already attached");
            }
            busInfo = UnitAddressing.busInfo(context.units(), "the mailbox slot");
            MeteredDma<Counter> dma = new MeteredDma<>(context.dma(), stats, Counter.DMA_BYTES_READ, Counter.DMA_BYTES_WRITTEN, Counter.DMA_FAULTS);
            queues.attach(dma, context.interrupts());
            CommandProcessor processor = new CommandProcessor(dma, context.bus(), queues, inFlight, stats, this::fatal);
            attachment = new Attachment(dma, processor,
                    CommandScheduler.create(options, processor, queues, context));
        }
    }

    @Override
    public Map<String, Long> statistics() {
        return stats.snapshot();
    }

    @Override
    public void detach() {
        Attachment a;
        synchronized (controlLock) {
            a = attachment;
            quiesce(null);
            attachment = null;
        }
        if (a != null) {
            a.scheduler().shutdown(); // outside the lock: the worker may be waiting for it
        }
    }

    // ---- register side effects -------------------------------------------------------------

    private void controlWritten(long oldValue, long written, long newValue) {
        synchronized (controlLock) {
            if ((newValue & Control.RESET) != 0) {
                stats.increment(Counter.RESETS);
                quiesce(HostStatus.RESET);
                bar0.reset(); // RESET self-clears with everything else
            } else if ((oldValue & Control.ENABLE) == 0 && (newValue & Control.ENABLE) != 0) {
                enable();
            } else if ((oldValue & Control.ENABLE) != 0 && (newValue & Control.ENABLE) == 0) {
                stats.increment(Counter.RESETS);
                quiesce(HostStatus.RESET);
                bar0.set(MailboxRegister.STATUS.name(), bar0.get(MailboxRegister.STATUS.name()) & ~Status.READY);
            }
        }
        queues.controlWritten(oldValue, bar0.get(MailboxRegister.CONTROL.name()));
    }

    /** ENABLE 0 -> 1: latch and check the configuration; READY, or FATAL/BAD_CONFIG. A FATAL device stays stopped until RESET. */
    private void enable() {
        if (attachment == null) {
            throw new IllegalStateException("ENABLE before the platform attached the mailbox controller");
        }
        if ((bar0.get(MailboxRegister.STATUS.name()) & Status.FATAL) != 0) {
            return;
        }
        long slotBase = reg(MailboxRegister.SLOT_BASE_LO) | reg(MailboxRegister.SLOT_BASE_HI) << 32;
        long cqBase = reg(MailboxRegister.CQ_BASE_LO) | reg(MailboxRegister.CQ_BASE_HI) << 32;
        long numSlots = reg(MailboxRegister.NUM_SLOTS);
        long numVectors = reg(MailboxRegister.NUM_VECTORS);
        long cqDepth = reg(MailboxRegister.CQ_DEPTH);
        boolean valid = numSlots >= 1 && numSlots <= options.slots()
                && numVectors >= 1 && numVectors <= MSIX_COUNT
                && cqDepth > numSlots && cqDepth <= MAX_CQ_DEPTH
                && slotBase % MailboxLayout.Slot.ALIGNMENT == 0
                && cqBase % MailboxLayout.CqEntry.SIZE == 0;
        if (!valid) {
            fatal(FatalCode.BAD_CONFIG);
            return;
        }
        ActiveConfig config = new ActiveConfig(slotBase, (int) numSlots, (int) numVectors, cqBase, (int) cqDepth);
        queues.start(config);
        active = config;
        bar0.set(MailboxRegister.STATUS.name(), Status.encode(true, FatalCode.NONE));
    }

    private void doorbell(int slot) {
        SlotCommand command;
        Attachment a;
        synchronized (controlLock) {
            ActiveConfig config = active;
            a = attachment;
            if (config == null || a == null) {
                return; // not READY: the write is dropped
            }
            if (slot < 0 || slot >= config.numSlots() || inFlight.get(slot) != null) {
                fatal(FatalCode.BAD_DOORBELL);
                return;
            }
            stats.increment(Counter.DOORBELLS);
            command = SlotCommand.latch(slot, config, a.dma(), SG_LIMIT);
            inFlight.set(slot, command);
        }
        a.scheduler().submit(command);
    }

    private void abort(int slot) {
        Attachment a = attachment;
        SlotCommand command = slot >= 0 && slot < inFlight.length() ? inFlight.get(slot) : null;
        if (a == null || command == null || !command.cancel()) {
            return; // no pending command in that slot: nothing to do
        }
        stats.increment(Counter.ABORTS);
        int vector = a.processor().completeCancelled(command, HostStatus.ABORTED, true);
        if (vector >= 0) {
            queues.raise(vector);
        }
    }

    private void lunReset(int value) {
        Attachment a = attachment;
        if (a == null || active == null) {
            return;
        }
        stats.increment(Counter.RESETS);
        int target = LunReset.target(value);
        int lun = LunReset.lun(value);
        boolean allLuns = (value & LunReset.ALL_LUNS) != 0;
        int raise = 0;
        for (int slot = 0; slot < inFlight.length(); slot++) {
            SlotCommand command = inFlight.get(slot);
            if (command != null && command.addressedTo(target, lun, allLuns) && command.cancel()) {
                int vector = a.processor().completeCancelled(command, HostStatus.RESET, true);
                if (vector >= 0) {
                    raise |= 1 << vector;
                }
            }
        }
        for (int v = 0; raise != 0; v++, raise >>>= 1) {
            if ((raise & 1) != 0) {
                queues.raise(v);
            }
        }
    }

    private void cqHeadWritten(int vector, int head) {
        ActiveConfig config = active;
        if (config == null) {
            return;
        }
        if (vector >= config.numVectors() || head < 0 || head >= config.cqDepth()) {
            fatal(FatalCode.BAD_CQ_HEAD);
            return;
        }
        queues.headWritten(vector, head);
    }

    /** Stops on a driver error: no more DMA, no more interrupts, pending commands dropped without completion. */
    private void fatal(FatalCode code) {
        synchronized (controlLock) {
            if ((bar0.get(MailboxRegister.STATUS.name()) & Status.FATAL) != 0) {
                return; // the first error is the one reported
            }
            quiesce(null);
            bar0.set(MailboxRegister.STATUS.name(), Status.encode(false, code));
        }
    }

    /**
     * Takes every pending command back from the device, so none makes another DMA. With a
     * status, each one's completion area reports it (no queue entry: the queues are going
     * down with the device); without, they are dropped.
     */
    private void quiesce(HostStatus status) {
        active = null;
        queues.stop();
        Attachment a = attachment;
        for (int slot = 0; slot < inFlight.length(); slot++) {
            SlotCommand command = inFlight.getAndSet(slot, null);
            if (command != null && command.cancel() && status != null && a != null) {
                a.processor().completeCancelled(command, status, false);
            }
        }
    }

    private long reg(MailboxRegister r) {
        return bar0.get(r.name());
    }
}
