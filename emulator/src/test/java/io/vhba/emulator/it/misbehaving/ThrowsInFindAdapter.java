package io.vhba.emulator.it.misbehaving;

/** {@link Fault#THROW_IN_FIND_ADAPTER}. */
public final class ThrowsInFindAdapter extends MisbehavingMiniport {
    public ThrowsInFindAdapter() {
        super(Fault.THROW_IN_FIND_ADAPTER);
    }
}
