package io.streamrag.cli;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * Where the app's Kafka and Schema Registry are: a picocli mixin shared by {@code ask}, {@code answers} and
 * {@code load}. Extra client settings (security, timeouts) pass through with {@code -X key=value}.
 */
public final class KafkaConnectionOptions {

    /** Placeholder defaults until the app's embedded broker port and registry endpoint are fixed by Main. */
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    public static final String DEFAULT_SCHEMA_REGISTRY_URL = "mock://streamrag";

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
