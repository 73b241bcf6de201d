package io.vhba.emulator.record;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a deterministic run came to at its end: how far it went, what the miniport saw, what the verifier found and
 * what is on every LUN. A replay of the run reproduces it exactly.
 *
 * @param steps        scheduling steps
 * @param virtualNanos virtual time
 * @param srbs         SRBs the adapters admitted (every SCSI command that reached the Storport engine)
 * @param bugChecks    one summary line per verifier bug check, in order
 * @param mediumCrc32c CRC32C of each LUN's whole medium, by {@code IQN/LUN}, as 8 hex digits
 */
public record RunSummary(long steps, long virtualNanos, long srbs, List<String> bugChecks, Map<String, String> mediumCrc32c) {

    public RunSummary {
        bugChecks = List.copyOf(bugChecks);
        mediumCrc32c = new TreeMap<>(mediumCrc32c);
    }

    /** The lines {@code vhba replay} prints. */
    public List<String> lines() {
        List<String> l = new java.util.ArrayList<>();
        l.add("steps " + steps);
        l.add(String.format("virtual time %d.%09d s", virtualNanos / 1_000_000_000L, virtualNanos % 1_000_000_000L));
        l.add("SRBs " + srbs);
        l.add("bug checks " + bugChecks.size());
        for (String b : bugChecks) {
            l.add("  " + b);
        }
        mediumCrc32c.forEach((lun, crc) -> l.add("medium " + lun + " CRC32C " + crc));
        return l;
    }
}
