package io.vhba.emulator.scsi.disk;

/** A thick RAM disk whose capacity does not fit in the heap left for RAM disks; the message names the numbers. */
public final class InsufficientRamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InsufficientRamException(long capacity, RamBudget budget) {
        super("a thick RAM disk of " + RamBudget.Sizes.mib(capacity) + " does not fit in the "
                + RamBudget.Sizes.mib(budget.available()) + " of heap left for RAM disks (max heap "
                + RamBudget.Sizes.mib(Runtime.getRuntime().maxMemory()) + ", " + RamBudget.Sizes.mib(budget.limit())
                + " of it for RAM disks): give the JVM more heap (-Xmx), or drop thick, or use file=");
    }
}
