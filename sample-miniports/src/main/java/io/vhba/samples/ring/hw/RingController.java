package io.vhba.samples.ring.hw;

import io.vhba.hw.Access;
import io.vhba.hw.ControllerOptions;
import io.vhba.hw.DeviceContext;
import io.vhba.hw.DeviceModel;
import io.vhba.hw.InterruptSignal;
import io.vhba.hw.Register;
import io.vhba.hw.RegisterField;
import io.vhba.hw.RegisterFile;
import io.vhba.hw.ScsiBus;
import io.vhba.samples.common.hw.LunReset;
import io.vhba.samples.common.hw.MeteredDma;
import io.vhba.samples.common.hw.RegisterTable;
import io.vhba.samples.common.hw.RegisterTable.Row;
import io.vhba.samples.common.hw.UnitAddressing;
import io.vhba.samples.ring.hw.RingLayout.CqEntry;
import io.vhba.samples.ring.hw.RingLayout.SqEntry;
import io.vhba.samples.ring.hw.RingRegister.Abort;
import io.vhba.samples.ring.hw.RingRegister.Caps;
import io.vhba.samples.ring.hw.RingRegister.Control;
import io.vhba.samples.ring.hw.RingRegister.Status;
import io.vhba.samples.ring.hw.RingStatistics.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The ring controller, hardware ID {@value #HARDWARE_ID}: a multi-queue HBA in the style of NVMe
 * and virtio. The driver gives each queue pair a submission ring and a completion ring in host
 * memory and an MSI-X vector; it writes 64-byte submission entries and moves the pair's SQ_TAIL
 * doorbell; the device fetches the entries, runs them on the addressed logical unit with the data
 * moving by DMA through each entry's scatter/gather list, posts 16-byte completion entries with a
 * phase tag to the pair's completion ring and sends the pair's MSI-X message. The README in
 * {@code io/vhba/samples/ring} is its datasheet.
 *
 * <p>Register side effects run on the thread that writes the register, as the {@link RegisterFile}
 * contract says: SQ_TAIL fetches the new entries there, and in inline mode the fetched commands then
 * run as posted device work ({@code DeviceContext.post}) on the same processor once the driver has
 * left its spin locks. ABORT, LUN_RESET and
 * RESET are synchronous: when the write returns, the cancelled commands make no further DMA.
 */
public final class RingController implements DeviceModel {
    public static final String HARDWARE_ID = "PCI\\VEN_5648&DEV_0003";
    /** VERSION: 1.0. */
    public static final int VERSION_1_0 = 0x0001_0000;
    /** MSI-X table size: one message per queue pair the register map has room for. */
    public static final int MSIX_COUNT = Caps.MAX_QUEUES;
    /** SG_LIMIT: data entries per command. */
    public static final int SG_LIMIT = 512;
    /** CAPS.MAX_QUEUE_ENTRIES is {@link ControllerOptions#slots()}, at most this (the COMMAND_ID is a u16). */
    public static final int MAX_QUEUE_ENTRIES = 4096;

    private final ControllerOptions options;
    private final RingStatistics stats = new RingStatistics();
    private final RegisterFile bar0;
    /** Serialises the control path: enable, disable, reset, fatal. */
    private final Object controlLock = new Object();
    /** The queue pairs latched at ENABLE; null while not READY. */
    private volatile DeviceQueue[] queues;
    private volatile Attachment attachment;
    private volatile int busInfo;

    /** What {@link #attach} wires up. */
    private record Attachment(MeteredDma<Counter> dma, InterruptSignal irq, CommandRunner runner, RingScheduler scheduler) {}


    public RingController(ControllerOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        if (options.slots() > MAX_QUEUE_ENTRIES) {
            throw new IllegalArgumentException("the ring controller has at most " + MAX_QUEUE_ENTRIES
                    + " entries per queue, asked for " + options.slots());
        }
        this.bar0 = buildBar0();
    }

    /** The register table of the datasheet: offset (from {@link RingRegister}), access, reset value, side effect, fields. */
    private List<Row> registerTable() {
        int maxEntries = Math.max(2, options.slots());
        return List.of(
                new Row(RingRegister.VERSION, Access.RO, VERSION_1_0, null, null,
                        new RegisterField("MINOR", 0, 16), new RegisterField("MAJOR", 16, 16)),
                new Row(RingRegister.CAPS, Access.RO, Caps.encode(maxEntries, Caps.MAX_QUEUES), null, null,
                        new RegisterField("MAX_QUEUE_ENTRIES", 0, 16), new RegisterField("MAX_QUEUES", 16, 8)),
                new Row(RingRegister.CONTROL, Access.RW, 0, null, q -> this::controlWritten,
                        new RegisterField("ENABLE", 0, 1), new RegisterField("RESET", 1, 1), new RegisterField("INTR_ENABLE", 2, 1)),
                new Row(RingRegister.STATUS, Access.RO, 0, null, null,
                        new RegisterField("READY", 0, 1), new RegisterField("FATAL", 1, 1), new RegisterField("FATAL_CODE", 8, 8)),
                new Row(RingRegister.NUM_QUEUES, Access.RW, 0, null, null),
                new Row(RingRegister.BUS_INFO, Access.RO, 0, stored -> busInfo, null,
                        new RegisterField("TARGETS", 0, 9), new RegisterField("LUNS", 16, 9)),
                new Row(RingRegister.SG_LIMIT, Access.RO, SG_LIMIT, null, null),
                new Row(RingRegister.ABORT, Access.WO, 0, null, q -> (o, w, n) -> abort((int) w),
                        new RegisterField("COMMAND_ID", 0, 16), new RegisterField("QUEUE", 16, 16)),
                new Row(RingRegister.LUN_RESET, Access.WO, 0, null, q -> (o, w, n) -> lunReset((int) w),
                        new RegisterField("LUN", 0, 8), new RegisterField("TARGET", 8, 8), new RegisterField("ALL_LUNS", 16, 1)),
                new Row(RingRegister.SQ_BASE_LO, Access.RW, 0, null, null),
                new Row(RingRegister.SQ_BASE_HI, Access.RW, 0, null, null),
                new Row(RingRegister.CQ_BASE_LO, Access.RW, 0, null, null),
                new Row(RingRegister.CQ_BASE_HI, Access.RW, 0, null, null),
                new Row(RingRegister.QUEUE_SIZE, Access.RW, 0, null, null),
                new Row(RingRegister.QUEUE_VECTOR, Access.RW, 0, null, null),
                new Row(RingRegister.SQ_TAIL, Access.WO, 0, null, q -> (o, w, n) -> sqTailWritten(q, (int) w)),
                new Row(RingRegister.CQ_HEAD, Access.WO, 0, null, q -> (o, w, n) -> cqHeadWritten(q, (int) w)));
    }

    private RegisterFile buildBar0() {
        return RegisterTable.build("ring BAR0", RingRegister.BAR0_SIZE, registerTable(), Caps.MAX_QUEUES);
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

    /** Wires the device to host memory, its interrupts and its units. The units must use target IDs and LUNs below 256. */
    @Override
    public void attach(DeviceContext context) {
        synchronized (controlLock) {
            if (attachment != null) {
                throw new IllegalStateException("the ring controller is already attached");
            }
            busInfo = UnitAddressing.busInfo(context.units(), "a submission entry");
            MeteredDma<Counter> dma = new MeteredDma<>(context.dma(), stats, Counter.DMA_BYTES_READ, Counter.DMA_BYTES_WRITTEN, Counter.DMA_FAULTS);
            CommandRunner runner = new CommandRunner(dma, new ScsiBus(context.units()), stats, SG_LIMIT, this::raise, this::fatal);
            attachment = new Attachment(dma, context.interrupts(), runner,
                    RingScheduler.create(options, runner, this::raise, context));
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
            quiesce();
            attachment = null;
        }
        if (a != null) {
            a.scheduler().shutdown(); // outside the lock: the worker may be waiting for it
        }
    }

    // ---- control ----------------------------------------------------------------------------

    private void controlWritten(long oldValue, long written, long newValue) {
        boolean interruptsOn = false;
        synchronized (controlLock) {
            if ((newValue & Control.RESET) != 0) {
                stats.increment(Counter.RESETS);
                quiesce();
                bar0.reset(); // RESET self-clears with everything else
            } else if ((oldValue & Control.ENABLE) == 0 && (newValue & Control.ENABLE) != 0) {
                enable();
            } else if ((oldValue & Control.ENABLE) != 0 && (newValue & Control.ENABLE) == 0) {
                stats.increment(Counter.RESETS);
                quiesce();
                bar0.set(RingRegister.STATUS.name(), bar0.get(RingRegister.STATUS.name()) & ~Status.READY);
            }
            interruptsOn = (oldValue & Control.INTR_ENABLE) == 0 && (newValue & Control.INTR_ENABLE) != 0;
        }
        DeviceQueue[] qs = queues;
        if (interruptsOn && qs != null) {
            for (DeviceQueue q : qs) {
                raise(q); // what was posted while interrupts were off
            }
        }
    }

    /** ENABLE 0 -> 1: latch and check the queue registers; READY, or FATAL/BAD_CONFIG. A FATAL device stays stopped until RESET. */
    private void enable() {
        if (attachment == null) {
            throw new IllegalStateException("ENABLE before the platform attached the ring controller");
        }
        if ((bar0.get(RingRegister.STATUS.name()) & Status.FATAL) != 0) {
            return;
        }
        long count = reg(RingRegister.NUM_QUEUES, 0);
        if (count < 1 || count > Caps.MAX_QUEUES) {
            fatal(FatalCode.BAD_CONFIG);
            return;
        }
        int maxEntries = Caps.maxQueueEntries((int) bar0.get(RingRegister.CAPS.name()));
        DeviceQueue[] latched = new DeviceQueue[(int) count];
        for (int q = 0; q < count; q++) {
            long sqBase = reg(RingRegister.SQ_BASE_LO, q) | reg(RingRegister.SQ_BASE_HI, q) << 32;
            long cqBase = reg(RingRegister.CQ_BASE_LO, q) | reg(RingRegister.CQ_BASE_HI, q) << 32;
            long size = reg(RingRegister.QUEUE_SIZE, q);
            long vector = reg(RingRegister.QUEUE_VECTOR, q);
            if (size < 2 || size > maxEntries || vector >= MSIX_COUNT
                    || sqBase % SqEntry.ALIGNMENT != 0 || cqBase % CqEntry.SIZE != 0) {
                fatal(FatalCode.BAD_CONFIG);
                return;
            }
            latched[q] = new DeviceQueue(q, sqBase, cqBase, (int) size, (int) vector);
        }
        queues = latched;
        bar0.set(RingRegister.STATUS.name(), Status.encode(true, FatalCode.NONE));
    }

    /** Stops on a driver error: no more DMA, no more interrupts, pending commands dropped without completion. */
    private void fatal(FatalCode code) {
        synchronized (controlLock) {
            if ((bar0.get(RingRegister.STATUS.name()) & Status.FATAL) != 0) {
                return; // the first error is the one reported
            }
            quiesce();
            bar0.set(RingRegister.STATUS.name(), Status.encode(false, code));
        }
    }

    /**
     * Takes every pending command back from the device, so none makes another DMA, and stops the
     * queues: no completion entry is posted for them; the driver completes what it held itself.
     */
    private void quiesce() {
        DeviceQueue[] qs = queues;
        queues = null;
        if (qs == null) {
            return;
        }
        for (DeviceQueue q : qs) {
            q.stop();
            for (int id = 0; id < q.size; id++) {
                RingCommand c = q.pending.getAndSet(id, null);
                if (c != null) {
                    c.cancel();
                }
            }
        }
    }

    // ---- doorbells --------------------------------------------------------------------------

    private void sqTailWritten(int queue, int tail) {
        DeviceQueue q = queue(queue);
        Attachment a = attachment;
        if (q == null || a == null) {
            return;
        }
        List<RingCommand> fetched;
        try {
            fetched = q.fetch(tail, a.dma(), SG_LIMIT);
        } catch (DeviceQueue.Fatal f) {
            fatal(f.code);
            return;
        }
        stats.increment(Counter.SQ_DOORBELLS);
        stats.add(Counter.SUBMISSIONS, fetched.size());
        if (!fetched.isEmpty()) {
            a.scheduler().submit(q, fetched);
        }
    }

    private void cqHeadWritten(int queue, int head) {
        DeviceQueue q = queue(queue);
        if (q == null) {
            return;
        }
        try {
            q.headWritten(head);
        } catch (DeviceQueue.Fatal f) {
            fatal(f.code);
            return;
        }
        stats.increment(Counter.CQ_DOORBELLS);
        raise(q); // entries posted past the new head are signalled at once
    }

    /**
     * The latched queue {@code queue}, or null while not READY (the write is dropped). A doorbell of a
     * queue beyond NUM_QUEUES is FATAL/BAD_DOORBELL.
     */
    private DeviceQueue queue(int queue) {
        DeviceQueue[] qs = queues;
        if (qs == null) {
            return null;
        }
        if (queue >= qs.length) {
            fatal(FatalCode.BAD_DOORBELL);
            return null;
        }
        return qs[queue];
    }

    /** Sends the queue's MSI-X message if interrupts are on and the queue is armed with entries for the driver. */
    private void raise(DeviceQueue q) {
        Attachment a = attachment;
        if (a == null || (bar0.get(RingRegister.CONTROL.name()) & Control.INTR_ENABLE) == 0 || !q.claimRaise()) {
            return;
        }
        stats.increment(Counter.INTERRUPTS_SIGNALLED);
        a.irq().signal(q.vector);
    }

    // ---- abort and LUN reset ----------------------------------------------------------------

    private void abort(int value) {
        DeviceQueue[] qs = queues;
        Attachment a = attachment;
        int queue = Abort.queue(value);
        int id = Abort.commandId(value);
        if (qs == null || a == null || queue >= qs.length || id >= qs[queue].size) {
            return; // nothing pending there: no effect
        }
        RingCommand c = qs[queue].pending.get(id);
        if (c == null || !c.cancel()) {
            return;
        }
        stats.increment(Counter.ABORTS);
        if (a.runner().completeCancelled(c, HostStatus.ABORTED)) {
            raise(qs[queue]);
        }
    }

    private void lunReset(int value) {
        DeviceQueue[] qs = queues;
        Attachment a = attachment;
        if (qs == null || a == null) {
            return;
        }
        stats.increment(Counter.RESETS);
        int target = LunReset.target(value);
        int lun = LunReset.lun(value);
        boolean allLuns = (value & LunReset.ALL_LUNS) != 0;
        List<DeviceQueue> touched = new ArrayList<>();
        for (DeviceQueue q : qs) {
            boolean posted = false;
            for (int id = 0; id < q.size; id++) {
                RingCommand c = q.pending.get(id);
                if (c != null && c.addressedTo(target, lun, allLuns) && c.cancel()) {
                    posted |= a.runner().completeCancelled(c, HostStatus.RESET);
                }
            }
            if (posted) {
                touched.add(q);
            }
        }
        touched.forEach(this::raise);
    }

    private long reg(RingRegister r, int queue) {
        return bar0.get(r.registerName(queue));
    }
}
