package io.vhba.emulator.runtime.baddrivers;

/** Uses a class of the emulator's kernel, which a driver cannot see. */
public final class ReachesIntoTheEmulator extends BadDriver {
    @Override
    public String name() {
        return io.vhba.emulator.kernel.Irql.name(2);
    }
}
