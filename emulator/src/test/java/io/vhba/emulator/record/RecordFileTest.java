package io.vhba.emulator.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.config.DeterministicConfig;
import io.vhba.emulator.config.VhbaConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordFileTest {

    @Test
    void everyKindOfEntryRoundTripsWithTheHeader(@TempDir Path dir) {
        Path f = dir.resolve("r.vhbarec");
        VhbaConfig config = VhbaConfig.defaults().with(DeterministicConfig.of(9), null);
        RunSummary summary = new RunSummary(120, 120_000, 3, List.of("0xF1/0x2004 DOUBLE_COMPLETION"), Map.of("iqn.x/0", "0badcafe"));
        try (RecordWriter w = new RecordWriter(f, new RecordHeader(RecordHeader.VERSION, 9, "random", 1000, config,
                List.of("127.0.0.1:3260")))) {
            w.write(new RecordEntry(1, 1000, new RecordedInput.Open(0, "127.0.0.1:3260", "127.0.0.1:50000")));
            w.write(new RecordEntry(5, 9000, new RecordedInput.Data(0, new byte[] {1, 2, 3})));
            w.write(new RecordEntry(7, 9000, new RecordedInput.Control("fault-inject", "busy,count=1")));
            w.write(new RecordEntry(8, 10000, new RecordedInput.Close(0)));
            w.write(new RecordEntry(9, 11000, new RecordedInput.End(summary)));
        }
        try (RecordReader r = new RecordReader(f)) {
            assertThat(r.header().seed()).isEqualTo(9);
            assertThat(r.header().config()).isEqualTo(config);
            assertThat(r.header().portals()).containsExactly("127.0.0.1:3260");
            assertThat(r.next().input()).isEqualTo(new RecordedInput.Open(0, "127.0.0.1:3260", "127.0.0.1:50000"));
            RecordEntry data = r.next();
            assertThat(data.step()).isEqualTo(5);
            assertThat(((RecordedInput.Data) data.input()).bytes()).containsExactly(1, 2, 3);
            assertThat(r.next().input()).isEqualTo(new RecordedInput.Control("fault-inject", "busy,count=1"));
            assertThat(r.next().input()).isEqualTo(new RecordedInput.Close(0));
            RecordEntry end = r.next();
            assertThat(end.virtualNanos()).isEqualTo(11000);
            assertThat(((RecordedInput.End) end.input()).summary()).isEqualTo(summary);
            assertThat(r.next()).isNull();
        }
    }

    @Test
    void aFileThatIsNoRecordOrIsCutShortIsRefusedWithOneLine(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk"), "hello");
        assertThatThrownBy(() -> new RecordReader(junk)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("not a vHBA record");
        Path f = dir.resolve("cut.vhbarec");
        try (RecordWriter w = new RecordWriter(f, new RecordHeader(RecordHeader.VERSION, 1, "random", 1000,
                VhbaConfig.defaults().with(DeterministicConfig.of(1), null), List.of()))) {
            w.write(new RecordEntry(1, 1000, new RecordedInput.Close(0)));
        }
        try (RecordReader r = new RecordReader(f)) {
            r.next();
            assertThatThrownBy(r::next).isInstanceOf(ConfigException.class).hasMessageContaining("cut short");
        }
        assertThatThrownBy(() -> new RecordReader(dir.resolve("missing"))).hasMessageContaining("no such file");
    }
}
