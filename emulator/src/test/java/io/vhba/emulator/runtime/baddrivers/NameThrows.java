package io.vhba.emulator.runtime.baddrivers;

/** Fails to say its name. */
public final class NameThrows extends BadDriver {
    @Override
    public String name() {
        throw new UnsupportedOperationException("no name today");
    }
}
