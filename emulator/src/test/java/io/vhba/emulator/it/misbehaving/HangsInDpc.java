package io.vhba.emulator.it.misbehaving;

/** {@link Fault#HANG_IN_DPC}. */
public final class HangsInDpc extends MisbehavingMiniport {
    public HangsInDpc() {
        super(Fault.HANG_IN_DPC);
    }
}
