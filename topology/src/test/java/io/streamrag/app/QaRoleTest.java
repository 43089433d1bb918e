package io.streamrag.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.app.config.AppConfig;
import io.streamrag.app.config.ConfigLoader;
import io.streamrag.qa.QaSettings;
import io.streamrag.qa.QaTopology;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QaRoleTest {

    @TempDir
    Path dir;

    private AppConfig config(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(overrides);
        all.put("store.embedded.dir", dir.resolve("store").toString());
        return new ConfigLoader(Map.of(), new Properties()).load(Optional.empty(), all);
    }

    @Test
    void buildsTheQaTopologyOnTheConfiguredTopicsWithTheBundledEmbedderAndEmbeddedStore() throws Exception {
        AppConfig config = config(Map.of());
        try (RoleContext context = new RoleContext(Role.QA, config)) {
            Topology topology = new QaRole().build(context);

            TopologyDescription description = topology.describe();
            assertThat(description.toString()).contains(config.topics().questions())
                    .contains(QaTopology.BUFFER_STORE);
            assertThat(description.subtopologies()).hasSize(1);
        }
    }

    @Test
    void ragTokenIsTheThirdGenerationMode() {
        AppConfig config = config(Map.of("qa.generation.mode", "rag-token"));
        assertThat(config.qa().mode()).isEqualTo(QaSettings.GenerationMode.RAG_TOKEN);
    }
}
