package io.vhba.emulator.runtime.baddrivers;

/** Loads, with a name of its own (its DriverEntry refuses to initialise, which the loader does not look at). */
public final class Fine extends BadDriver {
}
