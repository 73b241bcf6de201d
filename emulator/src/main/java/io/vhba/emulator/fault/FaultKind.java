package io.vhba.emulator.fault;

import java.util.List;

/**
 * The faults vHBA can inject (ARCHITECTURE.md, "Fault injection"), each applied at the layer
 * where the real failure happens.
 */
public enum FaultKind {
    INTERRUPT_DELAY("interrupt-delay", Layer.INTERRUPT, false, List.of("delay-ms"), List.of(),
            "deliver a device interrupt delay-ms late"),
    INTERRUPT_DROP("interrupt-drop", Layer.INTERRUPT, false, List.of(), List.of(),
            "lose a device interrupt: the completion waits for a later interrupt or for the request timeout"),
    DMA_DELAY("dma-delay", Layer.DMA, false, List.of("delay-ms"), List.of(),
            "stall a DMA transfer for delay-ms (inline controllers stall the issuing processor)"),
    DMA_FAIL("dma-fail", Layer.DMA, false, List.of(), List.of(),
            "fail a DMA transfer with a bus error"),
    SENSE("sense", Layer.DEVICE, true, List.of("key", "asc"), List.of("ascq"),
            "complete a command with CHECK CONDITION and the given sense"),
    MEDIUM_ERROR("medium-error", Layer.DEVICE, true, List.of("lba"), List.of(),
            "reads touching lba fail with MEDIUM ERROR/UNRECOVERED READ ERROR, writes with WRITE ERROR; INFORMATION = first bad LBA"),
    NEVER_COMPLETE("never-complete", Layer.DEVICE, true, List.of(), List.of(),
            "the device loses the command: it times out and the port escalates to a bus reset"),
    BUSY("busy", Layer.PORT, true, List.of(), List.of(),
            "the miniport answers SRB_STATUS_BUSY: the port requeues the request"),
    QUEUE_FULL("queue-full", Layer.PORT, true, List.of(), List.of(),
            "the miniport answers SRB_STATUS_ERROR with SCSI status TASK SET FULL"),
    LINK_DOWN("link-down", Layer.EVENT, false, List.of(), List.of("duration-ms"),
            "LinkDown: queues pause, timeouts stop; LinkUp after duration-ms if given"),
    LINK_UP("link-up", Layer.EVENT, false, List.of(), List.of(),
            "LinkUp: queues resume"),
    BUS_RESET("bus-reset", Layer.EVENT, false, List.of(), List.of(),
            "the port resets the bus (HwStorResetBus), as at the end of a timeout escalation");

    /** Where a fault applies. */
    public enum Layer {
        /** The device's interrupt signals, through the platform's interrupt interceptor. */
        INTERRUPT,
        /** The device's bus-master transfers, through the platform's DMA interceptor. */
        DMA,
        /** The controller/device boundary: the logical unit the controller runs commands on. */
        DEVICE,
        /** The SRB status the miniport reports, answered in its place before StartIo. */
        PORT,
        /** An adapter event, raised when a command reaches the port. */
        EVENT
    }

    private final String cliName;
    private final Layer layer;
    private final boolean lunAimable;
    private final List<String> required;
    private final List<String> optional;
    private final String description;

    FaultKind(String cliName, Layer layer, boolean lunAimable, List<String> required, List<String> optional, String description) {
        this.cliName = cliName;
        this.layer = layer;
        this.lunAimable = lunAimable;
        this.required = required;
        this.optional = optional;
        this.description = description;
    }

    public String cliName() {
        return cliName;
    }

    public Layer layer() {
        return layer;
    }

    /** Whether {@code lun=} may aim it at one LUN (interrupts, DMA and events belong to a controller). */
    public boolean lunAimable() {
        return lunAimable;
    }

    /** Parameters the spec must give. */
    public List<String> required() {
        return required;
    }

    public List<String> optional() {
        return optional;
    }

    public String description() {
        return description;
    }

    /** What fires when the spec names no trigger: events once, everything else on every opportunity. */
    public Trigger defaultTrigger() {
        return layer == Layer.EVENT ? new Trigger.Once() : new Trigger.Every(1);
    }

    /** The kind named {@code name} on the command line, or null. */
    public static FaultKind ofCliName(String name) {
        for (FaultKind k : values()) {
            if (k.cliName.equals(name)) {
                return k;
            }
        }
        return null;
    }
}
