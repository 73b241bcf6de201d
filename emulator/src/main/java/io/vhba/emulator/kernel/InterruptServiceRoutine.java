package io.vhba.emulator.kernel;

/** The routine a {@link KInterrupt} runs at its DIRQL holding its lock; true when the device interrupted. */
@FunctionalInterface
public interface InterruptServiceRoutine {
    boolean service(KInterrupt interrupt);
}
