package io.vhba.samples.mailbox.hw;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The controller's own counters, the ones {@link MailboxController#statistics()} reports. */
final class MailboxStatistics {

    /** One counter: its key in the statistics map and what it counts. */
    enum Counter {
        DOORBELLS("doorbells", "DOORBELL writes accepted while READY"),
        COMMANDS("commands", "SCSI commands run on a logical unit"),
        COMPLETIONS("completions", "completion queue entries posted"),
        DMA_BYTES_READ("dmaBytesRead", "bytes read from host memory: command areas, scatter/gather lists, Data-Out"),
        DMA_BYTES_WRITTEN("dmaBytesWritten", "bytes written to host memory: Data-In, completion areas, queue entries"),
        DMA_FAULTS("dmaFaults", "DMA accesses that faulted"),
        INTERRUPTS_SIGNALLED("interruptsSignalled", "MSI-X messages sent plus INTx line assertions"),
        ABORTS("aborts", "commands cancelled by ABORT"),
        RESETS("resets", "LUN_RESET writes plus controller resets (RESET, or ENABLE cleared)"),
        LOST("lost", "commands the logical unit lost (fault injection): forgotten without a completion");

        private final String key;
        private final String meaning;

        Counter(String key, String meaning) {
            this.key = key;
            this.meaning = meaning;
        }

        String key() {
            return key;
        }

        String meaning() {
            return meaning;
        }
    }

    private final EnumMap<Counter, LongAdder> counters = new EnumMap<>(Counter.class);

    MailboxStatistics() {
        for (Counter c : Counter.values()) {
            counters.put(c, new LongAdder());
        }
    }

    void increment(Counter c) {
        counters.get(c).increment();
    }

    void add(Counter c, long n) {
        counters.get(c).add(n);
    }

    long get(Counter c) {
        return counters.get(c).sum();
    }

    Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        counters.forEach((c, v) -> m.put(c.key(), v.sum()));
        return m;
    }
}
