package io.streamrag.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class ConfigCatalogTest {

    /** Relative to the module directory, where Maven runs the tests. */
    private static final Path CONFIG_MD = Path.of("src/main/java/io/streamrag/app/CONFIG.md");

    @Test
    void everyKeyOfTheCatalogueIsReadIntoAppConfig() {
        RawConfig defaults = new ConfigLoader(Map.of(), new Properties()).raw(Optional.empty(), Map.of());
        assertThat(AppConfig.readAll(defaults).unreadKeys()).isEmpty();
    }

    @Test
    void configMdDocumentsEveryKeyWithItsDefault() throws IOException {
        String page = Files.readString(CONFIG_MD, StandardCharsets.UTF_8);

        for (ConfigKey key : ConfigCatalog.keys()) {
            String defaultCell = key.defaultValue().isEmpty() ? "_(empty)_" : "`" + key.defaultValue() + "`";
            assertThat(page).as("CONFIG.md row of %s", key.name())
                    .contains("| `" + key.name() + "` | " + defaultCell + " | `" + key.environmentVariable() + "` |");
        }
        assertThat(page).as("CONFIG.md is stale; regenerate it with ConfigDocs (see its javadoc)")
                .contains(ConfigDocs.table());
    }

    @Test
    void readmeCarriesTheCurrentConfigurationTable() throws IOException {
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);

        assertThat(readme).as("README.md's configuration table is stale; regenerate it with"
                + " `streamrag config --write-docs README.md`").contains(ConfigDocs.table());
    }

    @Test
    void noPlainKeyIsTheParentOfAnotherSoYamlCanNestThemAll() {
        for (ConfigKey parent : ConfigCatalog.keys()) {
            for (ConfigKey child : ConfigCatalog.keys()) {
                if (!parent.isPrefix()) {
                    assertThat(child.name()).as("child of %s", parent.name()).doesNotStartWith(parent.name() + ".");
                }
            }
        }
    }

    @Test
    void environmentNamesMapBackToTheirKeys() {
        for (ConfigKey key : ConfigCatalog.keys()) {
            if (!key.isPrefix()) {
                assertThat(EnvironmentNames.keyOf(key.environmentVariable())).contains(key.name());
            }
        }
        assertThat(EnvironmentNames.keyOf("STREAMRAG_KAFKA_CLIENT_SASL_MECHANISM"))
                .contains("kafka.client.sasl.mechanism");
        assertThat(EnvironmentNames.keyOf("STREAMRAG_CONFIG")).isEmpty();
        assertThat(EnvironmentNames.keyOf("HOME")).isEmpty();
    }
}
