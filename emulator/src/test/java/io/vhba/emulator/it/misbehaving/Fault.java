package io.vhba.emulator.it.misbehaving;

/** The one thing a misbehaving miniport does wrong; its driver name is the fault's. */
public enum Fault {
    /** HwStorFindAdapter throws. */
    THROW_IN_FIND_ADAPTER("throw-find-adapter"),
    /** HwStorFindAdapter never returns (it waits for an event that never comes; an interrupt ends the wait). */
    HANG_IN_FIND_ADAPTER("hang-find-adapter"),
    /** HwStorFindAdapter never returns, and ignores interrupts too: only the end of the process ends it. */
    HANG_IN_FIND_ADAPTER_FOREVER("hang-find-adapter-forever"),
    /** HwStorStartIo throws for a request to {@link MisbehavingMiniport#POISON_LBA}. */
    THROW_IN_START_IO("throw-start-io"),
    /** The DPC that would run a request to {@link MisbehavingMiniport#POISON_LBA} never returns (interruptible). */
    HANG_IN_DPC("hang-dpc");

    private final String driverName;

    Fault(String driverName) {
        this.driverName = driverName;
    }

    public String driverName() {
        return driverName;
    }
}
