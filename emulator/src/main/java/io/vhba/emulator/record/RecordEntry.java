package io.vhba.emulator.record;

/** An input with the step and virtual time at which it entered the simulation. */
public record RecordEntry(long step, long virtualNanos, RecordedInput input) {}
