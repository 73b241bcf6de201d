package io.vhba.emulator.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** fio with its libiscsi engine (Debian's fio lacks it; .ci/build-fio-iscsi.sh builds one). */
final class Fio {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(ProcessRun process, JsonNode job) {
        long readBytes() {
            return job == null ? 0 : job.path("read").path("io_bytes").asLong();
        }

        long writeBytes() {
            return job == null ? 0 : job.path("write").path("io_bytes").asLong();
        }

        int error() {
            return job == null ? -1 : job.path("error").asInt();
        }
    }

    private Fio() {}

    static Path binary() {
        return Peers.requireFile("VHBA_FIO", "/tmp/fio-iscsi/bin/fio", "fio with the libiscsi engine: run .ci/build-fio-iscsi.sh");
    }

    /** Runs one fio job against {@code url} with {@code args}; JSON output parsed. */
    static Run run(long timeoutSeconds, String url, String... args) {
        List<String> cmd = new ArrayList<>(List.of(binary().toString(), "--name=vhba", "--ioengine=libiscsi",
                "--filename=" + url.replace(":", "\\:"), "--thread", "--direct=1", "--output-format=json"));
        cmd.addAll(List.of(args));
        ProcessRun p = ProcessRun.run(timeoutSeconds, cmd);
        JsonNode job = null;
        int brace = p.stdout().indexOf('{');
        if (brace >= 0) {
            try {
                job = JSON.readTree(p.stdout().substring(brace)).path("jobs").path(0);
            } catch (java.io.IOException e) {
                job = null;
            }
        }
        return new Run(p, job);
    }
}
