package io.vhba.emulator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.emulator.iscsi.session.PortalLimits;
import io.vhba.emulator.scsi.core.access.AclRule;
import io.vhba.emulator.scsi.core.access.LunMask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** acl, discoveryChap, CHAP secrets from files and the environment, and limits in a configuration file. */
class SecurityConfigTest {
    private static final String SECRET = "a-long-secret-1";

    @TempDir
    Path dir;

    private VhbaConfig load(String yaml) throws IOException {
        Path f = dir.resolve("vhba.yaml");
        Files.writeString(f, yaml);
        return ConfigLoader.load(f);
    }

    private static String target(String extra) {
        return "targets:\n  - iqn: iqn.2026-11.io.vhba:db\n    luns: [{lun: 0, size: 1M}, {lun: 1, size: 1M}, {lun: 2, size: 1M}]\n"
                + extra;
    }

    @Test
    void aclEntriesAreNamesPatternsMasksAndDenials() throws IOException {
        VhbaConfig c = load(target("""
                    acl:
                      - iqn.2026-12.test:host2
                      - {initiator: "iqn.2026-12.test:host1", luns: [0, 2]}
                      - "iqn.2026-12.lab:*"
                      - {deny: "iqn.2026-12.lab:intruder"}
                """));
        List<AclRule> rules = c.targets().get(0).acl().stream().map(AclEntryConfig::rule).toList();
        assertThat(rules).hasSize(4);
        assertThat(rules.get(0)).isEqualTo(new AclRule.Allow(io.vhba.emulator.scsi.core.access.InitiatorPattern
                .parse("iqn.2026-12.test:host2"), LunMask.ALL));
        assertThat(((AclRule.Allow) rules.get(1)).luns()).isEqualTo(LunMask.of(List.of(0, 2)));
        assertThat(rules.get(2).initiator().prefix()).isTrue();
        assertThat(rules.get(3)).isInstanceOf(AclRule.Deny.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "acl: [host1]|targets[0].acl[0].initiator: 'host1' is not an iSCSI name",
            "acl: [{initiator: 'iqn.2026-12.test:a', luns: [5]}]|targets[0].acl[0].luns: 5 is not a LUN of this target",
            "acl: [{initiator: 'iqn.2026-12.test:a', luns: []}]|targets[0].acl[0].luns: an empty list",
            "acl: [{initiator: 'iqn.2026-12.test:a', luns: [1, 1]}]|targets[0].acl[0].luns: LUN 1 is listed twice",
            "acl: [{deny: 'iqn.2026-12.test:a', luns: [1]}]|targets[0].acl[0].luns: a deny entry has no LUNs",
            "acl: [{luns: [1]}]|targets[0].acl[0]: give either initiator (with optional luns) or deny",
            "acl: ['iqn.2026-12.test:A', 'iqn.2026-12.test:a']|targets[0].acl[1]: iqn.2026-12.test:a is listed twice",
            "acl: [{initiator: 'iqn.2026-12.test:a', lun: [1]}]|unknown setting 'lun'"})
    void badAclEntriesGetOneLineNamingTheKey(String acl, String message) {
        assertThatThrownBy(() -> load(target("    " + acl + "\n"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining(message).message().doesNotContain("\n");
    }

    @Test
    void chapSecretsComeInlineFromAFileOrFromTheEnvironment() throws IOException {
        Path secret = dir.resolve("secret");
        Files.writeString(secret, SECRET + "\n");
        Map.Entry<String, String> env = System.getenv().entrySet().stream()
                .filter(e -> e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= 12
                        && e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 255
                        && !e.getValue().equals(SECRET))
                .findFirst().orElseThrow();
        VhbaConfig c = load("discoveryChap: {user: disco, secretFile: " + secret + ", mutualUser: vhba, secretEnv: x}\n"
                .replace(", secretEnv: x", ", mutualSecretEnv: " + env.getKey()) + target(""));
        ChapConfig d = c.discoveryChap();
        assertThat(d.secretValue("d", System::getenv)).isEqualTo(SECRET);
        assertThat(d.mutualSecretValue("d", System::getenv)).isEqualTo(env.getValue());
        assertThat(d.toString()).doesNotContain(SECRET, env.getValue());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{user: u}|discoveryChap: CHAP needs exactly one of secret, secretFile and secretEnv",
            "{user: u, secret: a-long-secret-1, secretEnv: HOME}|discoveryChap: CHAP needs exactly one of",
            "{user: u, secret: short}|discoveryChap.secret: the CHAP secret has 5 bytes; at least 12 are required",
            "{user: u, secretFile: /nonexistent/vhba-secret}|discoveryChap.secretFile: /nonexistent/vhba-secret: no such file",
            "{user: u, secretEnv: VHBA_SURELY_UNSET_1234}|discoveryChap.secretEnv: the environment variable VHBA_SURELY_UNSET_1234 is not set",
            "{user: u, secret: a-long-secret-1, mutualUser: t}|discoveryChap: mutual CHAP needs mutualUser and exactly one",
            "{user: u, secret: a-long-secret-1, mutualUser: t, mutualSecret: a-long-secret-1}|the mutual secret must differ",
            "{secret: a-long-secret-1}|discoveryChap.user: CHAP needs a user name"})
    void badChapGetsOneLineNamingTheKeyAndNeverTheSecret(String chap, String message) {
        assertThatThrownBy(() -> load("discoveryChap: " + chap + "\n" + target(""))).isInstanceOf(ConfigException.class)
                .hasMessageContaining(message).message().doesNotContain("\n").doesNotContain("a-long-secret-1");
    }

    @Test
    void aSecretFileWithTwoLinesOrTooLongIsRefused() throws IOException {
        Path two = dir.resolve("two");
        Files.writeString(two, SECRET + "\nsecond-line\n");
        assertThatThrownBy(() -> load(target("    chap: {user: u, secretFile: " + two + "}\n")))
                .hasMessageContaining("targets[0].chap.secretFile: " + two + " holds more than one line")
                .message().doesNotContain(SECRET);
        Path big = dir.resolve("big");
        Files.write(big, new byte[5000]);
        assertThatThrownBy(() -> load(target("    chap: {user: u, secretFile: " + big + "}\n")))
                .hasMessageContaining("is longer than 4096 bytes");
    }

    @Test
    void limitsDefaultAndParse() throws IOException {
        VhbaConfig d = load(target(""));
        assertThat(d.limits()).isEqualTo(LimitsConfig.defaults());
        assertThat(d.limits().portalLimits()).isEqualTo(PortalLimits.defaults());
        assertThat(d.limits().sessionHostMemoryBytes()).isEqualTo(64L << 20);
        assertThat(d.limits().loginTimeoutMillis()).isEqualTo(15_000);
        VhbaConfig c = load("""
                limits:
                  maxSessions: 10
                  maxSessionsPerTarget: 2
                  maxLoginsInProgress: 20
                  maxLoginsInProgressPerPortal: 5
                  loginTimeoutSeconds: 3
                  sessionHostMemory: 8M
                  connectionWriteBuffer: 256K
                  maxOutstandingR2tPerSession: 4
                  sessionQueuedCommandData: 2M
                  maxTextPairs: 40
                  maxLoginPairs: 80
                  maxTextBytes: 16K
                """ + target(""));
        assertThat(c.limits().portalLimits()).isEqualTo(new PortalLimits(10, 2, 20, 5, 256 << 10, 4, 2L << 20));
        assertThat(c.limits().textLimits()).isEqualTo(new io.vhba.emulator.iscsi.login.TextLimits(40, 80, 16 << 10));
        assertThat(d.limits().textLimits()).isEqualTo(io.vhba.emulator.iscsi.login.TextLimits.DEFAULT);
        assertThat(c.limits().sessionHostMemoryBytes()).isEqualTo(8L << 20);
        assertThat(c.limits().loginTimeoutMillis()).isEqualTo(3000);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "maxSessions: 0|limits.maxSessions: 0 is outside 1..65535",
            "maxSessionsPerTarget: 70000|limits.maxSessionsPerTarget: 70000 is outside 1..65535",
            "maxLoginsInProgress: -1|limits.maxLoginsInProgress: -1 is outside",
            "maxLoginsInProgressPerPortal: 0|limits.maxLoginsInProgressPerPortal: 0 is outside",
            "loginTimeoutSeconds: 0|limits.loginTimeoutSeconds: 0 is outside 1..3600",
            "sessionHostMemory: 4K|limits.sessionHostMemory: 4K is outside 1M..1T",
            "sessionHostMemory: 2G|limits.sessionHostMemory: 2G is more than hostMemory (1G)",
            "sessionHostMemory: lots|limits.sessionHostMemory: 'lots' is not a size",
            "connectionWriteBuffer: 1K|limits.connectionWriteBuffer: 1K is outside 64K..1G",
            "maxOutstandingR2tPerSession: 0|limits.maxOutstandingR2tPerSession: 0 is outside 1..65535",
            "sessionQueuedCommandData: 4K|limits.sessionQueuedCommandData: 4K is outside 1M..1G",
            "maxTextPairs: 8|limits.maxTextPairs: 8 is outside 32..65535",
            "maxTextBytes: 4K|limits.maxTextBytes: 4K is outside 8K..16M",
            "maxConnections: 2|unknown setting 'maxConnections'"})
    void badLimitsGetOneLineNamingTheKey(String line, String message) {
        assertThatThrownBy(() -> load("limits:\n  " + line + "\n" + target(""))).isInstanceOf(ConfigException.class)
                .hasMessageContaining(message).message().doesNotContain("\n");
    }

    @Test
    void aChapFileHoldsTheInitiatorsAndOptionallyTheTargetsCredentials() throws IOException {
        Path f = dir.resolve("disco");
        Files.writeString(f, "# discovery\ndisco:" + SECRET + ":with:colons\n\nvhba:target-secret-99\n");
        ChapConfig c = ChapFile.read("--discovery-chap-file", f);
        assertThat(c.user()).isEqualTo("disco");
        assertThat(c.secret()).isEqualTo(SECRET + ":with:colons");
        assertThat(c.mutualUser()).isEqualTo("vhba");
        assertThat(c.mutualSecret()).isEqualTo("target-secret-99");
        Files.writeString(f, "disco:" + SECRET + "\n");
        assertThat(ChapFile.read("--discovery-chap-file", f).mutual()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|holds no user:secret line",
            "nocolon|line 1 is not user:secret",
            ":a-long-secret-1|line 1 is not user:secret",
            "u:short|(FILE line 1): the CHAP secret has 5 bytes",
            "u:a-long-secret-1\\nt:b-long-secret-2\\nx:c-long-secret-3|line 3: only two entries"})
    void badChapFilesGetOneLineNamingTheFileAndLine(String content, String message) throws IOException {
        Path f = dir.resolve("disco");
        Files.writeString(f, content.replace("\\n", "\n"));
        assertThatThrownBy(() -> ChapFile.read("--discovery-chap-file", f)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(message.replace("FILE", f.toString())).hasMessageStartingWith("--discovery-chap-file")
                .message().doesNotContain("\n").doesNotContain("long-secret");
    }
}
