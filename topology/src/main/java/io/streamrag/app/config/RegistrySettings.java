package io.streamrag.app.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Schema Registry for the Avro serdes.
 *
 * @param url          empty: run the embedded registry (Confluent REST API on loopback, journal under the data dir)
 * @param embeddedPort port of the embedded registry (0: any free port)
 * @param properties   extra serde settings with Confluent's names (basic.auth.*, bearer.auth.*)
 */
public record RegistrySettings(Optional<String> url, int embeddedPort, Map<String, String> properties) {

    /** Confluent's key for the registry address, understood by {@code io.streamrag.serde.SpecificAvroSerde}. */
    public static final String URL_CONFIG = "schema.registry.url";

    public RegistrySettings {
        properties = Map.copyOf(properties);
    }

    /** True when no registry is configured and the application runs its own. */
    public boolean embedded() {
        return url.isEmpty();
    }

    /**
     * The registry a client command ({@code ask}, {@code load}) should use: the configured one, or the embedded
     * registry of an application running on this machine.
     */
    public String clientUrl() {
        return url.orElse("http://127.0.0.1:" + embeddedPort);
    }

    /** A serde's {@code configure(...)} map for a client command: {@link #clientUrl()} plus the pass-through keys. */
    public Map<String, Object> serdeConfig() {
        return serdeConfig(clientUrl());
    }

    /** A serde's {@code configure(...)} map for the registry at {@code effectiveUrl}. */
    public Map<String, Object> serdeConfig(String effectiveUrl) {
        Map<String, Object> config = new LinkedHashMap<>(properties);
        config.put(URL_CONFIG, effectiveUrl);
        return config;
    }

    @Override
    public String toString() {
        return "RegistrySettings[url=" + url.orElse("<embedded>") + ", embeddedPort=" + embeddedPort
                + ", properties=" + RawConfig.Secrets.masked(properties) + "]";
    }
}
