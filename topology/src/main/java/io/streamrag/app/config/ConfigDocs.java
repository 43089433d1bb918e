package io.streamrag.app.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Renders {@link ConfigCatalog} as the markdown table in {@code CONFIG.md}, so the documentation cannot drift from
 * the keys the code reads (a test compares the two).
 *
 * <p>Regenerate after changing the catalogue: {@code ./mvnw -o -q -pl topology compile exec:java
 * -Dexec.args="config --write-docs topology/src/main/java/io/streamrag/app/CONFIG.md"}.
 */
public final class ConfigDocs {

    public static final String TABLE_START = "<!-- config-table:start (generated from ConfigCatalog; do not edit) -->";
    public static final String TABLE_END = "<!-- config-table:end -->";

    private ConfigDocs() {
    }

    /**
     * Replaces the generated table in {@code file} (or writes the whole page when the file is new).
     *
     * @throws IllegalArgumentException when the file exists but lacks the table markers: overwriting it would lose a
     *                                  document someone wrote (a mistyped path to README.md did exactly that)
     */
    public static void write(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.writeString(file, page(), StandardCharsets.UTF_8);
            return;
        }
        String page = Files.readString(file, StandardCharsets.UTF_8);
        int start = page.indexOf(TABLE_START);
        int end = page.indexOf(TABLE_END);
        if (start < 0 || end < start) {
            throw new IllegalArgumentException(file + " has no configuration table markers (" + TABLE_START + " ... "
                    + TABLE_END + "); not overwriting it. Add the two marker lines where the table belongs, or"
                    + " name a new file");
        }
        Files.writeString(file, page.substring(0, start) + table() + page.substring(end + TABLE_END.length()),
                StandardCharsets.UTF_8);
    }

    /** The table between its markers, markers included. */
    public static String table() {
        StringBuilder md = new StringBuilder(TABLE_START).append('\n');
        md.append("| Key | Default | Environment variable | Meaning |\n");
        md.append("|---|---|---|---|\n");
        for (ConfigKey key : ConfigCatalog.keys()) {
            md.append("| `").append(key.name()).append("` | ")
                    .append(key.defaultValue().isEmpty() ? "_(empty)_" : "`" + key.defaultValue() + "`").append(" | `")
                    .append(key.environmentVariable()).append("` | ")
                    .append(meaning(key).replace("|", "\\|")).append(" |\n");
        }
        return md.append(TABLE_END).toString();
    }

    /** The key's meaning, and which other tools' variables give it its default when set. */
    private static String meaning(ConfigKey key) {
        if (key.defaultFromEnvironment().isEmpty()) {
            return key.meaning();
        }
        return key.meaning() + " Default from the environment, first set of: " + key.defaultFromEnvironment().stream()
                .map(variable -> variable.contains("/") ? "`$" + variable + "`" : "`" + variable + "`")
                .collect(java.util.stream.Collectors.joining(", ")) + ".";
    }

    private static String page() {
        return """
                # Configuration

                One typed configuration (`io.streamrag.app.config.AppConfig`), validated at start-up: an unknown key or
                a bad value stops the application with a message naming the key, the value and where it was set.

                Sources, later ones win:

                1. the defaults below;
                2. a file: `--config streamrag.yaml` (or `STREAMRAG_CONFIG`), YAML with nested or dotted keys, or a
                   `.properties` file;
                3. environment variables: `STREAMRAG_` + the key upper-cased with `.` as `_`
                   (`kafka.bootstrap.servers` is `STREAMRAG_KAFKA_BOOTSTRAP_SERVERS`); an unknown `STREAMRAG_*`
                   variable is logged as a warning and ignored (the environment is shared), an unknown key from
                   any other source stops the application;
                4. JVM system properties: `-Dstreamrag.<key>=value`;
                5. command line: `--set <key>=<value>` (repeatable).

                Keys ending in `.*` pass everything below them through to Kafka clients or the serdes.
                With every default, the application needs no services: an embedded Kafka broker, an in-process
                schema registry, the bundled embedder, extractive answers and an embedded vector store.

                Example (`streamrag.yaml`):

                ```yaml
                kafka:
                  bootstrap.servers: broker-1:9092,broker-2:9092
                  client:
                    security.protocol: SASL_SSL
                    sasl.mechanism: PLAIN
                schema.registry:
                  url: https://registry.example.com
                  properties:
                    basic.auth.credentials.source: USER_INFO
                qa:
                  generation.mode: concat
                store:
                  type: qdrant
                  qdrant.host: qdrant.internal
                ```

                """ + table() + "\n";
    }
}
