package io.vhba.samples.ring.hw;

import io.vhba.samples.common.hw.DeviceStatistics;

/** The controller's own counters, the ones {@link RingController#statistics()} reports. */
final class RingStatistics extends DeviceStatistics<RingStatistics.Counter> {

    /** One counter: its key in the statistics map and what it counts. */
    enum Counter implements DeviceStatistics.Counter {
        SQ_DOORBELLS("sqDoorbells", "SQ_TAIL writes accepted while READY"),
        SUBMISSIONS("submissions", "submission entries fetched"),
        COMMANDS("commands", "SCSI commands run on a logical unit"),
        COMPLETIONS("completions", "completion entries posted"),
        CQ_DOORBELLS("cqDoorbells", "CQ_HEAD writes accepted while READY"),
        INTERRUPTS_SIGNALLED("interruptsSignalled", "MSI-X messages sent"),
        DMA_BYTES_READ("dmaBytesRead", "bytes read from host memory: submission entries, scatter/gather lists, Data-Out"),
        DMA_BYTES_WRITTEN("dmaBytesWritten", "bytes written to host memory: Data-In, sense data, completion entries"),
        DMA_FAULTS("dmaFaults", "DMA accesses that faulted"),
        ABORTS("aborts", "commands cancelled by ABORT"),
        RESETS("resets", "LUN_RESET writes plus controller resets (RESET, or ENABLE cleared)"),
        LOST("lost", "commands the logical unit lost (fault injection): forgotten without a completion");

        private final String key;
        private final String meaning;

        Counter(String key, String meaning) {
            this.key = key;
            this.meaning = meaning;
        }

        @Override
        public String key() {
            return key;
        }

        String meaning() {
            return meaning;
        }
    }

    RingStatistics() {
        super(Counter.class);
    }
}
