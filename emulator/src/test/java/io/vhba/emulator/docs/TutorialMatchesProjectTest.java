package io.vhba.emulator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/writing-a-miniport.md} shows every file of the example project, each exactly as it is in
 * {@code src/test/resources/external-miniport} (which ExternalMiniportIT builds and runs): a block opens
 * with the language and the file's path, {@code ```java src/main/java/...}.
 */
class TutorialMatchesProjectTest {
    private static final Pattern BLOCK = Pattern.compile("(?m)^```\\w+ (\\S+)\\n(.*?)^```$", Pattern.DOTALL);

    @Test
    void everyProjectFileIsShownVerbatimAndNothingElseIsClaimedToBeOne() throws IOException, URISyntaxException {
        String doc = Files.readString(Path.of("..", "docs", "writing-a-miniport.md"));
        Map<String, String> shown = new LinkedHashMap<>();
        Matcher m = BLOCK.matcher(doc);
        while (m.find()) {
            assertThat(shown.put(m.group(1), m.group(2))).as(m.group(1) + " is shown once").isNull();
        }
        Path project = Path.of(getClass().getClassLoader().getResource("external-miniport/pom.xml").toURI()).getParent();
        List<Path> files;
        try (Stream<Path> s = Files.walk(project)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        assertThat(shown.keySet()).containsExactlyInAnyOrderElementsOf(
                files.stream().map(f -> project.relativize(f).toString().replace('\\', '/')).toList());
        for (Path f : files) {
            String rel = project.relativize(f).toString().replace('\\', '/');
            assertThat(shown.get(rel)).as(rel).isEqualTo(Files.readString(f));
        }
    }
}
