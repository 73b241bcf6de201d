package io.vhba.emulator.it.misbehaving;

/** {@link Fault#HANG_IN_FIND_ADAPTER_FOREVER}. */
public final class HangsInFindAdapterForever extends MisbehavingMiniport {
    public HangsInFindAdapterForever() {
        super(Fault.HANG_IN_FIND_ADAPTER_FOREVER);
    }
}
