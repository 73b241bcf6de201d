package io.vhba.emulator.runtime;

import io.vhba.emulator.storport.Adapter;
import io.vhba.emulator.storport.AdapterState;
import io.vhba.emulator.verifier.BugCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether the emulator can serve I/O: up only while every adapter is running. Down names each adapter that is not,
 * and for one a bug check stopped, the bug check: {@code adapter mailbox0 stopped by bug check 0xF1/0x2004
 * DOUBLE_COMPLETION}.
 *
 * @param reason null when up
 */
public record Health(boolean up, String reason) {

    /** The health of {@code adapters}, given every bug check so far (oldest first). */
    static Health of(List<Adapter> adapters, List<BugCheck> bugChecks) {
        List<String> down = new ArrayList<>();
        for (Adapter a : adapters) {
            if (a.state() == AdapterState.RUNNING) {
                continue;
            }
            BugCheck last = null;
            for (BugCheck b : bugChecks) {
                if (b.adapter().equals(a.name())) {
                    last = b;
                }
            }
            if (a.state() == AdapterState.FAILED && last != null) {
                down.add(String.format("adapter %s stopped by bug check 0x%X/0x%X %s", a.name(), last.code(),
                        last.parameter1(), last.rule()));
            } else if (a.state() == AdapterState.FAILED) {
                down.add("adapter " + a.name() + " failed: " + a.failureReason());
            } else {
                down.add("adapter " + a.name() + " is " + a.state().name().toLowerCase(Locale.ROOT));
            }
        }
        return down.isEmpty() ? new Health(true, null) : new Health(false, String.join("; ", down));
    }
}
