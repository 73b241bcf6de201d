package io.vhba.emulator.it.misbehaving;

/** {@link Fault#THROW_IN_START_IO}. */
public final class ThrowsInStartIo extends MisbehavingMiniport {
    public ThrowsInStartIo() {
        super(Fault.THROW_IN_START_IO);
    }
}
