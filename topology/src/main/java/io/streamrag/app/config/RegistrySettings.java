package io.streamrag.app.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Schema Registry for the Avro serdes.
 *
 * @param properties extra serde settings with Confluent's names (basic.auth.*, bearer.auth.*)
 */
public record RegistrySettings(String url, Map<String, String> properties) {

    /** Confluent's key for the registry address, understood by {@code io.streamrag.serde.SpecificAvroSerde}. */
    public static final String URL_CONFIG = "schema.registry.url";

    public RegistrySettings {
        properties = Map.copyOf(properties);
    }

    /** The map to pass to a serde's {@code configure(...)}: the URL plus every pass-through property. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> config = new LinkedHashMap<>(properties);
        config.put(URL_CONFIG, url);
        return config;
    }

    public boolean inProcess() {
        return url.startsWith("mock://");
    }

    @Override
    public String toString() {
        return "RegistrySettings[url=" + url + ", properties=" + RawConfig.Secrets.masked(properties) + "]";
    }
}
