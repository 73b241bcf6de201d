package io.vhba.emulator.runtime.baddrivers;

/** Takes the name of a built-in miniport. */
public final class CalledMailbox extends BadDriver {
    @Override
    public String name() {
        return "mailbox";
    }
}
