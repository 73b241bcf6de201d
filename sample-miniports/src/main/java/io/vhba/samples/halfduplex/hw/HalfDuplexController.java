package io.vhba.samples.halfduplex.hw;

import io.vhba.hw.Access;
import io.vhba.hw.ControllerOptions;
import io.vhba.hw.DeviceContext;
import io.vhba.hw.DeviceModel;
import io.vhba.hw.DmaFault;
import io.vhba.hw.InterruptSignal;
import io.vhba.hw.Register;
import io.vhba.hw.RegisterField;
import io.vhba.hw.RegisterFile;
import io.vhba.hw.Width;
import io.vhba.samples.common.hw.DeviceStatistics;
import io.vhba.samples.common.hw.UnitAddressing;
import io.vhba.samples.halfduplex.hw.HalfDuplexRegister.Control;
import io.vhba.samples.halfduplex.hw.HalfDuplexRegister.DoneTag;
import io.vhba.samples.halfduplex.hw.HalfDuplexRegister.IntrStatus;
import io.vhba.samples.halfduplex.hw.HalfDuplexRegister.Status;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The half-duplex sample HBA, hardware ID {@value #HARDWARE_ID}: one INTx line and no MSI-X.
 * The driver writes a command block's address to CB_ADDR and a tag to SUBMIT; the device
 * runs the block, writes its completion half, queues the tag on DONE_TAG, sets
 * INTR_STATUS.DONE and asserts the line. The ISR reads INTR_STATUS (which clears it and drops
 * the level) and pops DONE_TAG until EMPTY. The README in {@code io/vhba/samples/halfduplex}
 * is its datasheet.
 *
 * <p>Lock order inside the model: {@code runLock} (one command executes at a time; RESET waits
 * for it, so no DMA follows a RESET write) before {@code stateLock} (tags, DONE_TAG, the line).
 * A command the unit answers later (a SANITIZE without IMMED) gives up the run lock meanwhile
 * and writes its completion under it when the answer comes, unless a RESET dropped its tag.
 */
public final class HalfDuplexController implements DeviceModel {
    public static final String HARDWARE_ID = "PCI\\VEN_5648&DEV_0002";
    public static final int VERSION_1_0 = 0x0001_0000;
    /** TAGS is ControllerOptions.slots, capped here. */
    public static final int MAX_TAGS = 256;
    /** SG_LIMIT: a 1 MiB transfer that starts mid-page touches 257 pages. */
    public static final int SG_LIMIT = 257;

    /** The controller's counters, as {@link #statistics()} reports them. */
    public enum Counter implements DeviceStatistics.Counter {
        SUBMITS("submits"), COMMANDS("commands"), COMPLETIONS("completions"), LINE_ASSERTIONS("lineAssertions"),
        STATUS_READS("statusReads"), EMPTY_STATUS_READS("emptyStatusReads"), RESETS("resets"), FATALS("fatals");

        private final String key;

        Counter(String key) {
            this.key = key;
        }

        @Override
        public String key() {
            return key;
        }
    }

    private record Row(HalfDuplexRegister register, Access access, long resetValue, Register.ReadHook readHook,
                       Register.WriteHook writeHook, RegisterField... fields) {}

    private record Attachment(CommandExecution execution, InterruptSignal line, ScheduledExecutorService worker,
                              DeviceContext context) {}

    private final ControllerOptions options;
    private final int tags;
    private final RegisterFile bar0;
    private final DeviceStatistics<Counter> counters = new DeviceStatistics<>(Counter.class);
    private final Object runLock = new Object();
    private final Object stateLock = new Object();
    /** Guarded by stateLock. */
    private final boolean[] running;
    private final ArrayDeque<Integer> done = new ArrayDeque<>();
    private int generation;
    private boolean lineAsserted;
    private volatile Attachment attachment;
    private volatile int busInfo;

    public HalfDuplexController(ControllerOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.tags = Math.min(options.slots(), MAX_TAGS);
        this.running = new boolean[tags];
        RegisterFile.Builder b = RegisterFile.builder("halfduplex BAR0", HalfDuplexRegister.BAR0_SIZE);
        for (Row r : registerTable()) {
            b.register(r.register().name(), r.register().offset(), Width.DWORD, r.access(), r.resetValue(),
                    r.readHook(), r.writeHook(), r.fields());
        }
        this.bar0 = b.build();
    }

    /** The datasheet's register table: register, access, reset value, side effects, fields. */
    private List<Row> registerTable() {
        return List.of(
                new Row(HalfDuplexRegister.VERSION, Access.RO, VERSION_1_0, null, null,
                        new RegisterField("MINOR", 0, 16), new RegisterField("MAJOR", 16, 16)),
                new Row(HalfDuplexRegister.CAPS, Access.RO, tags, null, null, new RegisterField("TAGS", 0, 16)),
                new Row(HalfDuplexRegister.CONTROL, Access.RW, 0, null, this::controlWritten,
                        new RegisterField("ENABLE", 0, 1), new RegisterField("RESET", 1, 1), new RegisterField("INTR_ENABLE", 2, 1)),
                new Row(HalfDuplexRegister.STATUS, Access.RO, 0, null, null,
                        new RegisterField("READY", 0, 1), new RegisterField("FATAL", 1, 1), new RegisterField("FATAL_CODE", 8, 8)),
                new Row(HalfDuplexRegister.CB_ADDR_LO, Access.RW, 0, null, null),
                new Row(HalfDuplexRegister.CB_ADDR_HI, Access.RW, 0, null, null),
                new Row(HalfDuplexRegister.SUBMIT, Access.WO, 0, null, (o, w, n) -> submit((int) w)),
                // read-to-clear: the read is the acknowledge; the hook re-evaluates the level afterwards
                new Row(HalfDuplexRegister.INTR_STATUS, Access.RC, 0, this::statusRead, null,
                        new RegisterField("DONE", 0, 1), new RegisterField("FATAL", 1, 1)),
                new Row(HalfDuplexRegister.DONE_TAG, Access.RO, DoneTag.EMPTY & 0xFFFF_FFFFL, stored -> popDone(), null,
                        new RegisterField("TAG", 0, 16), new RegisterField("EMPTY", 31, 1)),
                new Row(HalfDuplexRegister.BUS_INFO, Access.RO, 0, stored -> busInfo, null,
                        new RegisterField("TARGETS", 0, 9), new RegisterField("LUNS", 16, 9)),
                new Row(HalfDuplexRegister.SG_LIMIT, Access.RO, SG_LIMIT, null, null));
    }

    // ---- DeviceModel ---------------------------------------------------------------------------

    @Override
    public String hardwareId() {
        return HARDWARE_ID;
    }

    @Override
    public List<RegisterFile> bars() {
        return List.of(bar0);
    }

    /** None: this controller only has the INTx line. */
    @Override
    public int msixMessageCount() {
        return 0;
    }

    /** Wires the device up. Target IDs and LUNs must be below 256 (one byte each in the command block). */
    @Override
    public void attach(DeviceContext context) {
        synchronized (stateLock) {
            if (attachment != null) {
                throw new IllegalStateException("the halfduplex controller is already attached");
            }
            busInfo = UnitAddressing.busInfo(context.units(), "a command block");
            // the platform's worker: a real thread, or a simulated one in the emulator's deterministic mode
            ScheduledExecutorService worker = options.mode() == ControllerOptions.Mode.THREADED
                    ? context.threads().newWorker("halfduplex-controller")
                    : null;
            attachment = new Attachment(new CommandExecution(context.dma(), context.bus(), SG_LIMIT),
                    context.interrupts(), worker, context);
        }
    }

    @Override
    public Map<String, Long> statistics() {
        return counters.snapshot();
    }

    @Override
    public void detach() {
        Attachment a;
        synchronized (runLock) {
            synchronized (stateLock) {
                a = attachment;
                quiesce();
                updateLine();
                attachment = null;
            }
        }
        if (a != null && a.worker() != null) {
            a.worker().shutdownNow();
        }
    }

    // ---- register side effects -----------------------------------------------------------------

    private void controlWritten(long oldValue, long written, long newValue) {
        synchronized (runLock) { // a running command finishes its DMA first
            synchronized (stateLock) {
                if ((newValue & Control.RESET) != 0) {
                    count(Counter.RESETS);
                    quiesce();
                    bar0.reset(); // RESET self-clears with everything else
                } else if ((oldValue & Control.ENABLE) == 0 && (newValue & Control.ENABLE) != 0) {
                    if (attachment == null) {
                        throw new IllegalStateException("ENABLE before the platform attached the halfduplex controller");
                    }
                    if ((bar0.get(HalfDuplexRegister.STATUS.name()) & Status.FATAL) == 0) {
                        bar0.set(HalfDuplexRegister.STATUS.name(), Status.READY);
                    }
                } else if ((oldValue & Control.ENABLE) != 0 && (newValue & Control.ENABLE) == 0) {
                    count(Counter.RESETS);
                    quiesce();
                    bar0.clearBits(HalfDuplexRegister.STATUS.name(), Status.READY);
                }
                updateLine(); // INTR_ENABLE may have changed
            }
        }
    }

    private void submit(int tag) {
        Attachment a = attachment;
        CommandExecution.Latched latched;
        int gen;
        synchronized (stateLock) {
            if (a == null || (bar0.get(HalfDuplexRegister.STATUS.name()) & Status.READY) == 0) {
                return; // not READY: the write is dropped
            }
            long address = bar0.get(HalfDuplexRegister.CB_ADDR_LO.name()) | bar0.get(HalfDuplexRegister.CB_ADDR_HI.name()) << 32;
            if (tag < 0 || tag >= tags || running[tag] || address % CommandBlock.ALIGNMENT != 0) {
                fatal(FatalCode.BAD_SUBMIT);
                return;
            }
            try {
                latched = a.execution().latch(tag, address);
            } catch (DmaFault f) {
                fatal(FatalCode.DMA_FAULT);
                return;
            }
            running[tag] = true;
            gen = generation;
            count(Counter.SUBMITS);
        }
        if (a.worker() == null) {
            // INLINE: SUBMIT is a posted write; the command runs on the writing processor once it leaves its locks
            a.context().post(() -> execute(a, latched, gen));
        } else {
            a.worker().schedule(() -> execute(a, latched, gen), options.latencyMicros(), TimeUnit.MICROSECONDS);
        }
    }

    private void execute(Attachment a, CommandExecution.Latched latched, int gen) {
        synchronized (runLock) {
            synchronized (stateLock) {
                if (gen != generation) {
                    return; // reset or fatal since SUBMIT: dropped without a completion
                }
            }
            count(Counter.COMMANDS);
            CommandExecution.Outcome outcome = a.execution().run(latched, write -> answeredLater(latched, gen, write));
            if (outcome != null) {
                completed(latched, gen, outcome);
            }
        }
    }

    /**
     * The unit's thread, for a command it answered after {@code run} returned: the completion half is written
     * under the run lock as any other, unless a RESET or a fatal error came in between (the tag is gone then).
     */
    private void answeredLater(CommandExecution.Latched latched, int gen, Supplier<CommandExecution.Outcome> write) {
        synchronized (runLock) {
            synchronized (stateLock) {
                if (gen != generation) {
                    return;
                }
            }
            completed(latched, gen, write.get());
        }
    }

    /** Posts the tag and raises DONE once the completion half is written. Holds runLock. */
    private void completed(CommandExecution.Latched latched, int gen, CommandExecution.Outcome outcome) {
        synchronized (stateLock) {
            if (gen != generation) {
                return;
            }
            if (outcome == CommandExecution.Outcome.COMPLETION_FAULT) {
                fatal(FatalCode.DMA_FAULT);
                return;
            }
            running[latched.tag()] = false;
            done.add(latched.tag());
            count(Counter.COMPLETIONS);
            bar0.setBits(HalfDuplexRegister.INTR_STATUS.name(), IntrStatus.DONE);
            updateLine();
        }
    }

    /** INTR_STATUS read: RegisterFile has already returned and cleared the causes; the level follows what is left. */
    private long statusRead(long causes) {
        synchronized (stateLock) {
            count(Counter.STATUS_READS);
            if (causes == 0) {
                count(Counter.EMPTY_STATUS_READS); // an ISR asking on behalf of a shared line: not us
            }
            updateLine();
        }
        return causes;
    }

    private long popDone() {
        synchronized (stateLock) {
            Integer tag = done.poll();
            return tag == null ? DoneTag.EMPTY & 0xFFFF_FFFFL : tag;
        }
    }

    /** Stops on a driver error: running commands dropped, READY cleared, INTR_STATUS.FATAL raised. Holds stateLock. */
    private void fatal(FatalCode code) {
        if ((bar0.get(HalfDuplexRegister.STATUS.name()) & Status.FATAL) != 0) {
            return; // the first error is the one reported
        }
        count(Counter.FATALS);
        quiesce();
        bar0.set(HalfDuplexRegister.STATUS.name(), Status.encode(false, code));
        bar0.setBits(HalfDuplexRegister.INTR_STATUS.name(), IntrStatus.FATAL);
        updateLine();
    }

    /** Forgets every running command and finished tag; a command still scheduled sees the new generation and is dropped. */
    private void quiesce() {
        generation++;
        Arrays.fill(running, false);
        done.clear();
        bar0.set(HalfDuplexRegister.INTR_STATUS.name(), 0);
    }

    /** The level: asserted while a cause is pending and INTR_ENABLE is set. Holds stateLock. */
    private void updateLine() {
        Attachment a = attachment;
        boolean want = a != null && bar0.get(HalfDuplexRegister.INTR_STATUS.name()) != 0
                && (bar0.get(HalfDuplexRegister.CONTROL.name()) & Control.INTR_ENABLE) != 0;
        if (want == lineAsserted || a == null) {
            return;
        }
        lineAsserted = want;
        if (want) {
            count(Counter.LINE_ASSERTIONS);
            a.line().assertLine();
        } else {
            a.line().deassertLine();
        }
    }

    private void count(Counter c) {
        counters.increment(c);
    }

    /** Whether the INTx line is asserted now. */
    public boolean lineAsserted() {
        synchronized (stateLock) {
            return lineAsserted;
        }
    }
}
