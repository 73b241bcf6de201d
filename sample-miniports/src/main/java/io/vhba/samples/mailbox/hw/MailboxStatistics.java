package io.vhba.samples.mailbox.hw;

import io.vhba.samples.common.hw.DeviceStatistics;

/** The controller's own counters, the ones {@link MailboxController#statistics()} reports. */
final class MailboxStatistics extends DeviceStatistics<MailboxStatistics.Counter> {

    /** One counter: its key in the statistics map and what it counts. */
    enum Counter implements DeviceStatistics.Counter {
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

        @Override
        public String key() {
            return key;
        }

        String meaning() {
            return meaning;
        }
    }

    MailboxStatistics() {
        super(Counter.class);
    }
}
