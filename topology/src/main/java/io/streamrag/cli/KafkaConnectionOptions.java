package io.streamrag.cli;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import io.streamrag.serde.registry.EmbeddedSchemaRegistryServer;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * Where the app's Kafka and Schema Registry are: a picocli mixin shared by {@code ask}, {@code answers} and
 * {@code load}. Extra client settings (security, timeouts) pass through with {@code -X key=value}.
 */
public final class KafkaConnectionOptions {

    /** The app's embedded broker (kafka.embedded.port 9092, bound to the loopback address). */
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";
    /** The registry endpoint the app serves in embedded mode (a mock:// registry cannot be shared across JVMs). */
    public static final String DEFAULT_SCHEMA_REGISTRY_URL =
            "http://127.0.0.1:" + EmbeddedSchemaRegistryServer.DEFAULT_PORT;

    @Option(names = "--bootstrap-servers", defaultValue = DEFAULT_BOOTSTRAP_SERVERS,
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", defaultValue = DEFAULT_SCHEMA_REGISTRY_URL,
            description = "Schema Registry URL (default: ${DEFAULT-VALUE}).")
    String schemaRegistryUrl;

    @Option(names = {"-X", "--client-property"}, paramLabel = "KEY=VALUE",
            description = "Extra Kafka client or registry setting, repeatable (e.g. -X security.protocol=SSL).")
    Map<String, String> clientProperties = new LinkedHashMap<>();

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String schemaRegistryUrl() {
        return schemaRegistryUrl;
    }

    /** Settings common to producers and consumers, extras last so they win. */
    Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.putAll(clientProperties);
        return config;
    }

    /**
     * Producer settings whose every wait ends within {@code timeout} (metadata, buffer space, delivery), so a
     * command's {@code --timeout} bounds it; -X settings still win.
     */
    Map<String, Object> producerConfig(java.time.Duration timeout) {
        long ms = Math.max(1_000, timeout.toMillis());
        long request = Math.min(ms, 30_000);
        Map<String, Object> config = clientConfig();
        // as strings: Kafka parses them into its own int/long types (a Long for an int key is rejected)
        config.putIfAbsent("max.block.ms", Long.toString(ms));
        config.putIfAbsent("request.timeout.ms", Long.toString(request));
        // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms
        config.putIfAbsent("delivery.timeout.ms", Long.toString(Math.max(ms, request + 1_000)));
        return config;
    }

    /** Consumer settings whose blocking calls default to {@code timeout}; -X settings still win. */
    Map<String, Object> consumerConfig(java.time.Duration timeout) {
        long ms = Math.max(1_000, timeout.toMillis());
        Map<String, Object> config = clientConfig();
        config.putIfAbsent("default.api.timeout.ms", Long.toString(ms));
        config.putIfAbsent("request.timeout.ms", Long.toString(Math.min(ms, 30_000)));
        return config;
    }

    /** Serde settings: the registry URL plus any registry extras given with -X. */
    Map<String, Object> serdeConfig() {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put("schema.registry.url", schemaRegistryUrl);
        return config;
    }

    /**
     * A mock:// registry lives inside one JVM: a CLI process registering schemas there produces ids the app's own
     * mock registry has never seen. Fine inside one JVM (tests), wrong across processes, so say so.
     */
    void warnIfInProcessRegistry(PrintWriter err) {
        if (schemaRegistryUrl.startsWith("mock://")) {
            err.println("warning: --schema-registry-url " + schemaRegistryUrl + " is an in-process registry; it only"
                    + " works when this command runs in the same JVM as the app. Point it at the app's registry"
                    + " endpoint otherwise.");
        }
    }
}
