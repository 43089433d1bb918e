package io.streamrag.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.ingest.IngestSettings;
import io.streamrag.ingest.batch.BatchingSettings;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.qa.QaSettings;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each setting is declared once, in {@link ConfigCatalog}: the role settings records the topologies take carry no
 * defaults of their own (no {@code DEFAULTS}, no {@code defaults()}, no constructor that fills fields in), and no
 * other class names a key. A second declaration is how the topologies' defaults drifted from the catalogue's before.
 */
class SettingsDeclaredOnceTest {

    /** Relative to the module directory, where Maven runs the tests. */
    private static final Path MAIN = Path.of("src/main/java");
    private static final List<Class<? extends Record>> ROLE_SETTINGS = List.of(
            QaSettings.class, IngestSettings.class, ChunkingSettings.class, BatchingSettings.class);

    @Test
    void roleSettingsRecordsDeclareNoDefaults() {
        for (Class<? extends Record> type : ROLE_SETTINGS) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    // a constant label is fine; a static settings value or number is a second default
                    assertThat(field.getType()).as("static field %s of %s", field.getName(), type)
                            .isEqualTo(String.class);
                }
            }
            for (Method method : type.getDeclaredMethods()) {
                if (Modifier.isStatic(method.getModifiers())) {
                    assertThat(method.getReturnType()).as("static %s of %s makes settings", method.getName(), type)
                            .isNotEqualTo(type);
                }
            }
            Class<?>[] canonical = Arrays.stream(type.getRecordComponents())
                    .map(java.lang.reflect.RecordComponent::getType).toArray(Class<?>[]::new);
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                assertThat(constructor.getParameterTypes()).as("a constructor of %s other than the canonical one "
                        + "fills fields in", type).containsExactly(canonical);
            }
        }
    }

    /** Files that write a key's name for something else of the same name, and what. */
    private static final Map<String, String> SAME_NAME_ELSEWHERE = Map.of(
            "io/streamrag/serde/RegistryClientConfig.java", "the Confluent serdes' own schema.registry.url",
            "io/streamrag/app/config/RegistrySettings.java", "the serde setting the key is passed on as",
            "io/streamrag/cli/KafkaConnectionOptions.java", "the serde setting of the CLI's --schema-registry-url",
            "io/streamrag/observability/StateStoreTags.java", "the store.type tag of Kafka Streams' state metrics");

    @Test
    void onlyTheCatalogueNamesAKey() throws IOException {
        Map<String, List<String>> declaredOutside = new TreeMap<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(MAIN)) {
            sources = files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> !file.endsWith(Path.of("io/streamrag/app/config/ConfigCatalog.java")))
                    .filter(file -> !SAME_NAME_ELSEWHERE.containsKey(MAIN.relativize(file).toString()))
                    .toList();
        }
        for (Path file : sources) {
            String source = Files.readString(file, StandardCharsets.UTF_8);
            for (ConfigKey key : ConfigCatalog.keys()) {
                if (!key.isPrefix() && !key.isNamed() && source.contains("\"" + key.name() + "\"")) {
                    declaredOutside.computeIfAbsent(key.name(), k -> new ArrayList<>()).add(file.toString());
                }
            }
        }
        assertThat(declaredOutside).as("keys written as literals outside ConfigCatalog (use its constants)")
                .isEmpty();
    }

    @Test
    void everyDefaultIsAValueItsOwnDeclarationAccepts() {
        for (ConfigKey key : ConfigCatalog.keys()) {
            assertThat(key.valid().problem(key.defaultValue())).as("default of %s", key.name()).isEmpty();
        }
    }
}
