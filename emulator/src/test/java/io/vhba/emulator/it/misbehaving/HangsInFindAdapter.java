package io.vhba.emulator.it.misbehaving;

/** {@link Fault#HANG_IN_FIND_ADAPTER}. */
public final class HangsInFindAdapter extends MisbehavingMiniport {
    public HangsInFindAdapter() {
        super(Fault.HANG_IN_FIND_ADAPTER);
    }
}
