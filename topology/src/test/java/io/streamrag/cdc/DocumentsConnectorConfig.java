package io.streamrag.cdc;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.json.JsonConverter;

/**
 * The connector config a test registers: {@code connectors/postgres-documents.json} as shipped, with only what
 * this environment forces changed, each for a stated reason. Everything else (topic prefix, table list, pgoutput,
 * slot, publication, snapshot mode, tombstones, heartbeats) is the file's own value, so the test checks the file.
 */
final class DocumentsConnectorConfig {

    /** The connector's name: the file's base name, as {@code register-connector.sh} names it. */
    static final String NAME = "postgres-documents";

    private DocumentsConnectorConfig() {
    }

    /** The shipped file, key by key. */
    static Map<String, String> shipped() throws IOException {
        Path file = ProjectFiles.locate(ProjectFiles.POSTGRES_CONNECTOR);
        return new ObjectMapper().readValue(file.toFile(), new TypeReference<LinkedHashMap<String, String>>() { });
    }

    /** The shipped config pointed at {@code database}, with JSON converters and a short poll interval. */
    static Map<String, String> forTest(DocumentsDatabase database) throws IOException {
        Map<String, String> config = shipped();
        // The embedded server instead of the compose service.
        config.put("database.hostname", "127.0.0.1");
        config.put("database.port", String.valueOf(database.port()));
        // The worker has no env config provider and this JVM no DOCUMENTS_DB_PASSWORD.
        config.put("database.password", DocumentsDatabase.PASSWORD);
        // No Schema Registry runs here: Connect's JSON converter, schemas included, for keys and values alike.
        config.keySet().removeIf(key -> key.endsWith(".schema.registry.url"));
        config.put("key.converter", JsonConverter.class.getName());
        config.put("key.converter.schemas.enable", "true");
        config.put("value.converter", JsonConverter.class.getName());
        config.put("value.converter.schemas.enable", "true");
        // The default 500 ms between polls of the streaming queue dominates COMMIT-to-topic latency.
        config.put("poll.interval.ms", "20");
        // The embedded broker does not auto-create topics: let Connect create the ones it writes (the heartbeat
        // topic; the change topic when the test has not created it first).
        config.put("topic.creation.default.replication.factor", "1");
        config.put("topic.creation.default.partitions", "1");
        return config;
    }
}
