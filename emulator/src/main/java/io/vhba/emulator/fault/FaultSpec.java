package io.vhba.emulator.fault;

import io.vhba.miniport.scsi.SenseData;
import java.util.Objects;

/**
 * One fault to inject: what, at whom, when, and the kind's parameters.
 *
 * @param lbas           medium-error: the bad blocks; else null
 * @param delayMillis    interrupt-delay, dma-delay: the delay; else 0
 * @param durationMillis link-down: LinkUp follows after this long; 0 leaves the link down
 * @param sense          sense: what the command completes with; else null
 */
public record FaultSpec(FaultKind kind, FaultTarget target, Trigger trigger, LbaRange lbas, long delayMillis,
                        long durationMillis, SenseData sense) {

    public FaultSpec {
        Objects.requireNonNull(kind, "kind");
        target = target == null ? FaultTarget.ENGINE : target;
        trigger = trigger == null ? kind.defaultTrigger() : trigger;
        if (target.lun() != null && !kind.lunAimable()) {
            throw new FaultSpecException(kind.cliName() + " is aimed at a controller or the engine, not at a LUN: drop lun=");
        }
        if (kind == FaultKind.MEDIUM_ERROR && lbas == null) {
            throw new FaultSpecException("medium-error needs lba=FIRST[-LAST]");
        }
        if (kind == FaultKind.SENSE && sense == null) {
            throw new FaultSpecException("sense needs key= and asc=");
        }
        if ((kind == FaultKind.INTERRUPT_DELAY || kind == FaultKind.DMA_DELAY) && delayMillis <= 0) {
            throw new FaultSpecException(kind.cliName() + " needs delay-ms greater than 0");
        }
        if (delayMillis < 0 || durationMillis < 0) {
            throw new FaultSpecException("delays and durations cannot be negative");
        }
    }

    /** A fault with the kind's default trigger and no parameters (never-complete, busy, bus-reset, ...). */
    public static FaultSpec of(FaultKind kind, FaultTarget target, Trigger trigger) {
        return new FaultSpec(kind, target, trigger, null, 0, 0, null);
    }

    public static FaultSpec mediumError(FaultTarget target, LbaRange lbas, Trigger trigger) {
        return new FaultSpec(FaultKind.MEDIUM_ERROR, target, trigger, lbas, 0, 0, null);
    }

    /** The spec in {@code --fault} grammar ({@link FaultSpecParser#GRAMMAR}): parsing it gives this spec back. */
    public String toSpec() {
        StringBuilder b = new StringBuilder(kind.cliName());
        if (target.adapter() != null) {
            b.append(",adapter=").append(target.adapter());
        }
        if (target.lun() != null) {
            b.append(",lun=").append(target.lun());
        }
        b.append(',').append(trigger);
        if (lbas != null) {
            b.append(",lba=").append(lbas);
        }
        if (delayMillis > 0) {
            b.append(",delay-ms=").append(delayMillis);
        }
        if (durationMillis > 0) {
            b.append(",duration-ms=").append(durationMillis);
        }
        if (sense != null) {
            b.append(String.format(",key=%X,asc=%02X,ascq=%02X", sense.senseKey().code(), sense.sense().asc(), sense.sense().ascq()));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(kind.cliName()).append(" at ").append(target).append(", ").append(trigger);
        if (lbas != null) {
            b.append(", lba=").append(lbas);
        }
        if (delayMillis > 0) {
            b.append(", delay-ms=").append(delayMillis);
        }
        if (durationMillis > 0) {
            b.append(", duration-ms=").append(durationMillis);
        }
        if (sense != null) {
            b.append(", sense ").append(sense.senseKey()).append(' ').append(sense.sense());
        }
        return b.toString();
    }
}
