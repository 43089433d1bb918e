package io.streamrag.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The wiring points one way: {@code app} maps the configuration onto the topologies and opens their models and
 * stores; the topologies and their building blocks know nothing of it. A source scan, so it needs no library.
 */
class PackageDependencyTest {

    /** Relative to the module directory, where Maven runs the tests. */
    private static final Path MAIN = Path.of("src/main/java/io/streamrag");

    @ParameterizedTest
    @ValueSource(strings = {"ingest", "qa", "store", "kafka"})
    void doesNotDependOnTheApplicationLayer(String pkg) throws IOException {
        Path root = MAIN.resolve(pkg);
        assertThat(root).isDirectory();
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file, StandardCharsets.UTF_8);
                // imports and fully qualified names alike
                if (source.matches("(?s).*\\bio\\.streamrag\\.(app|cli)\\b.*")) {
                    offenders.add(MAIN.relativize(file).toString());
                }
            }
        }
        assertThat(offenders).as("classes of %s that use io.streamrag.app or io.streamrag.cli", pkg).isEmpty();
    }
}
